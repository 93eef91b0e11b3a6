// The HTML of the home, list, item-edit, delete-confirmation and My Lists pages.
import { type Html, html } from "../web/html.ts";
import { csrfField, type Page } from "../web/layout.ts";
import { ICON_SYMBOLS, ICONS } from "./item-icons.ts";
import type { Item, ListSummaries } from "./list-store.ts";

const SITE = "Superlists";

type ItemForm = {
  action: string;
  csrfToken: string;
  button: string;
  error?: string | undefined;
  value?: string | undefined;
  autofocus?: boolean;
};

function itemForm({ action, csrfToken, button, error, value, autofocus }: ItemForm): Html {
  return html`<form method="POST" action="${action}" class="item-form">
    <label for="id_text" class="visually-hidden">To-do item</label>
    <input id="id_text" name="text" class="form-control form-control-lg${error ? " is-invalid" : ""}"
      placeholder="Enter a to-do item" aria-describedby="id_text_feedback"${error ? html` aria-invalid="true"` : ""} value="${value ?? ""}" autocomplete="off"${autofocus ? html` autofocus` : ""} required>
    ${csrfField(csrfToken)}
    <div id="id_text_feedback" class="invalid-feedback">${error ?? ""}</div>
    <button type="submit" class="btn btn-primary mt-3">${button}</button>
  </form>`;
}

export function homePage(form: { csrfToken: string; error?: string; value?: string }): Page {
  return {
    title: `Start a new To-Do list - ${SITE}`,
    // "To-Do" kept whole on a phone, rather than broken at its hyphen.
    header: html`Start a new <span class="text-nowrap">To-Do</span> list`,
    headerExtra: itemForm({ action: "/lists/new", button: "Start list", ...form }),
    scripts: true,
  };
}

/** What the current user may do with the list shown. */
export type ListPermissions = { canShare: boolean; canManage: boolean; canLeave: boolean };

export type ListView = ListPermissions & {
  id: string;
  name: string;
  items: Item[];
  /** The list holds more items than the page shows (MAX_ITEMS_PER_LIST). */
  more: boolean;
  maxItems: number;
  ownerEmail: string | null;
  sharees: string[];
  /** When the page was made (ms): its event stream tells it of changes made since. */
  renderedAt: number;
};

// One form for every row's done and delete buttons and one for their edit buttons,
// outside the table (forms cannot nest): each button names its own URL (formaction).
// A row then costs its buttons alone, not three forms with their CSRF tokens: a list
// page stays small even at MAX_ITEMS_PER_LIST items.
const ITEM_ACTIONS_FORM = "id_item_actions";
const ITEM_EDIT_FORM = "id_item_edit";

function itemRow(listId: string, item: Item, index: number): Html {
  const base = `/lists/${listId}/items/${item.id}`;
  // Escaped once, shown four times.
  const text = html`${item.text}`;
  return html`<tr${item.done ? html` class="item-done"` : ""}><td>${index + 1}: ${text}</td><td class="item-actions"><button form="${ITEM_ACTIONS_FORM}" formaction="${base}/done" name="done" value="${item.done ? "0" : "1"}" class="btn btn-outline-success icon-button" aria-label="Done: ${text}" aria-pressed="${item.done ? "true" : "false"}">${ICONS.done}</button>
<button form="${ITEM_EDIT_FORM}" formaction="${base}/edit" class="btn btn-outline-secondary icon-button" aria-label="Edit: ${text}">${ICONS.edit}</button>
<button form="${ITEM_ACTIONS_FORM}" formaction="${base}/delete" class="btn btn-outline-danger icon-button" aria-label="Delete: ${text}">${ICONS.delete}</button></td></tr>`;
}

function itemsTable(list: ListView, csrfToken: string): Html {
  const note = list.more
    ? html`<p class="alert alert-warning" role="status">This list has more than ${list.maxItems} items: only the first ${list.maxItems} are shown. Delete some to see the others.</p>`
    : "";
  return html`${note}${ICON_SYMBOLS}
  <form id="${ITEM_ACTIONS_FORM}" method="POST" action="/lists/${list.id}/">${csrfField(csrfToken)}</form>
  <form id="${ITEM_EDIT_FORM}" method="GET" action="/lists/${list.id}/"></form>
  <table id="id_list_table" class="table">
    ${list.items.map((item, index) => itemRow(list.id, item, index))}
  </table>`;
}

/**
 * A secondary form's error: its message and the input's attributes pointing at it, only
 * when there is one (the page then has a single `.invalid-feedback`, the item input's).
 */
function fieldError(id: string, error: string | undefined): { attributes: Html | ""; message: Html | "" } {
  if (!error) return { attributes: "", message: "" };
  return {
    attributes: html` aria-describedby="${id}" aria-invalid="true"`,
    message: html`<div id="${id}" class="invalid-feedback">${error}</div>`,
  };
}

function sharing(list: ListView, csrfToken: string, { shareError, shareValue }: ListPageErrors): Html | "" {
  if (list.ownerEmail === null) return "";
  const shareForm = list.canShare
    ? html`<form method="POST" action="/lists/${list.id}/share" class="mt-2">
        <label class="form-label" for="id_sharee">Share this list</label>
        <input id="id_sharee" name="sharee" type="email" class="form-control${shareError ? " is-invalid" : ""}"
          placeholder="your-friend@example.com" value="${shareValue ?? ""}"${fieldError("id_sharee_feedback", shareError).attributes} required>
        ${csrfField(csrfToken)}
        ${fieldError("id_sharee_feedback", shareError).message}
        <button type="submit" class="btn btn-outline-dark mt-2">Share</button>
      </form>`
    : "";
  return html`<div class="col-lg-3 col-md-6">
      <h2 class="h5">List owner: <span id="id_list_owner">${list.ownerEmail}</span></h2>
    </div>
    <div class="col-lg-3 col-md-6">
      <h2 class="h5">Shared with</h2>
      <ul>${list.sharees.map((email) => html`<li class="list-sharee">${email}</li>`)}</ul>
      ${shareForm}
    </div>`;
}

function management(list: ListView, csrfToken: string, { nameError, nameValue }: ListPageErrors): Html | "" {
  if (list.canLeave) {
    return html`<div class="col-lg-6">
      <form method="POST" action="/lists/${list.id}/leave">
        ${csrfField(csrfToken)}
        <button type="submit" class="btn btn-outline-danger">Leave list</button>
      </form>
    </div>`;
  }
  if (!list.canManage) return "";
  return html`<div class="col-lg-6">
    <h2 class="h5">Manage this list</h2>
    <form method="POST" action="/lists/${list.id}/rename">
      <label class="form-label" for="id_list_name">List name</label>
      <input id="id_list_name" name="name" class="form-control${nameError ? " is-invalid" : ""}" value="${nameValue ?? list.name}"
        ${fieldError("id_list_name_feedback", nameError).attributes} autocomplete="off" required>
      ${csrfField(csrfToken)}
      ${fieldError("id_list_name_feedback", nameError).message}
      <button type="submit" class="btn btn-outline-dark mt-2">Rename list</button>
    </form>
    <form method="GET" action="/lists/${list.id}/delete" class="mt-3">
      <button type="submit" class="btn btn-outline-danger">Delete list</button>
    </form>
  </div>`;
}

export type ListPageErrors = {
  itemError?: string;
  itemValue?: string | undefined;
  shareError?: string;
  shareValue?: string | undefined;
  nameError?: string;
  nameValue?: string | undefined;
};

export function listPage(list: ListView, csrfToken: string, errors: ListPageErrors = {}): Page {
  return {
    title: `${list.name} - Your To-Do list - ${SITE}`,
    header: html`<span class="list-kicker">Your To-Do list</span> <span class="list-name">${list.name}</span>`,
    headerSize: "display-5",
    headerExtra: itemForm({
      action: `/lists/${list.id}/`,
      csrfToken,
      button: "Add",
      error: errors.itemError,
      value: errors.itemValue,
    }),
    body: itemsTable(list, csrfToken),
    after: html`<div class="row justify-content-center mt-4 g-4">
      ${sharing(list, csrfToken, errors)}
      ${management(list, csrfToken, errors)}
    </div>
    <turbo-stream-source src="/lists/${list.id}/events?since=${list.renderedAt}"></turbo-stream-source>`,
    scripts: true,
  };
}

export type EditItemView = { listId: string; listName: string; item: Item };

export function editItemPage(
  view: EditItemView,
  csrfToken: string,
  errors: { error?: string; value?: string } = {},
): Page {
  return {
    title: `Edit item - ${view.listName} - ${SITE}`,
    header: "Edit item",
    headerSize: "display-5",
    headerExtra: html`${itemForm({
      action: `/lists/${view.listId}/items/${view.item.id}/edit`,
      csrfToken,
      button: "Save",
      error: errors.error,
      value: errors.value ?? view.item.text,
      autofocus: true,
    })}
      <p class="mt-3 mb-0"><a href="/lists/${view.listId}/">Back to the list</a></p>`,
    scripts: true,
  };
}

export function deleteListPage(view: { listId: string; listName: string; itemCount: string }, csrfToken: string): Page {
  return {
    title: `Delete ${view.listName}? - ${SITE}`,
    header: "Delete this list?",
    headerSize: "display-5",
    headerExtra: html`<p class="lead list-name">“${view.listName}” and its ${view.itemCount} will be deleted, for everyone it is shared with. This cannot be undone.</p>
      <form method="POST" action="/lists/${view.listId}/delete" class="d-inline-block me-2">
        ${csrfField(csrfToken)}
        <button type="submit" class="btn btn-danger">Delete list</button>
      </form>
      <a class="btn btn-outline-dark" href="/lists/${view.listId}/">Keep it</a>`,
  };
}

export type MyListsPages = { owned: number; shared: number };

function pageLinks(
  section: keyof MyListsPages,
  pages: MyListsPages,
  summaries: ListSummaries,
  label: string,
): Html | "" {
  const href = (page: number) =>
    `?owned_page=${section === "owned" ? page : pages.owned}&shared_page=${section === "shared" ? page : pages.shared}`;
  const previous =
    pages[section] > 1 ? html`<a href="${href(pages[section] - 1)}" class="me-3">Previous page of ${label}</a>` : "";
  const next = summaries.more ? html`<a href="${href(pages[section] + 1)}">Next page of ${label}</a>` : "";
  return previous || next ? html`<p>${previous}${next}</p>` : "";
}

function listLinks(summaries: ListSummaries, showOwner: boolean): Html {
  if (summaries.lists.length === 0) return html`<p class="text-body-secondary">None yet.</p>`;
  return html`<ul class="list-links">
    ${summaries.lists.map(
      (list) =>
        html`<li><a href="/lists/${list.id}/">${list.name}</a>${showOwner ? html` <span class="text-body-secondary">(${list.ownerEmail})</span>` : ""}</li>`,
    )}
  </ul>`;
}

export function myListsPage(email: string, owned: ListSummaries, shared: ListSummaries, pages: MyListsPages): Page {
  return {
    title: `My Lists - ${SITE}`,
    header: "My Lists",
    body: html`<h2 class="h3">${email}'s lists</h2>
      ${listLinks(owned, false)}
      ${pageLinks("owned", pages, owned, "your lists")}
      <h2 class="h3 mt-4">Lists shared by other users</h2>
      ${listLinks(shared, true)}
      ${pageLinks("shared", pages, shared, "lists shared with you")}`,
  };
}
