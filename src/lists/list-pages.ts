// The HTML of the home, list, item-edit, delete-confirmation and My Lists pages.
import { type Html, html } from "../web/html.ts";
import { csrfField, type Page } from "../web/layout.ts";
import type { Item, ListSummaries } from "./list-store.ts";

const SITE = "Superlists";

type ItemForm = {
  action: string;
  csrfToken: string;
  button: string;
  error?: string | undefined;
  value?: string | undefined;
  /** The edit page: a long or multi-line text gets a textarea. */
  editing?: boolean;
};

// The field to type in has the focus when the page opens: the edit page's, or the one
// whose input was refused (the browser also scrolls it into view, without JavaScript).
const AUTOFOCUS = html` autofocus`;

/** Longer than this, an item being edited is shown in a textarea, where all of it is seen. */
const LONG_ITEM = 60;

function itemForm({ action, csrfToken, button, error, value, editing = false }: ItemForm): Html {
  const text = value ?? "";
  const attributes = html`id="id_text" name="text" class="form-control form-control-lg${error ? " is-invalid" : ""}"
      placeholder="Enter a to-do item" dir="auto" aria-describedby="id_text_feedback"${error ? html` aria-invalid="true"` : ""}`;
  const rest = html`${editing || error ? AUTOFOCUS : ""} autocomplete="off" required`;
  const field =
    editing && ([...text].length > LONG_ITEM || text.includes("\n"))
      ? html`<textarea ${attributes} rows="4"${rest}>${text}</textarea>`
      : html`<input ${attributes} value="${text}"${rest}>`;
  return html`<form method="POST" action="${action}" class="item-form">
    <label for="id_text" class="visually-hidden">To-do item</label>
    ${field}
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
  /** Someone is logged in (an ownerless list then tells how to keep it). */
  viewerLoggedIn: boolean;
  /** Of all the list's items (`more` or not): "3 of 8 done". */
  doneCount: number;
  itemCount: number;
};

// A row sends its item's text once, in an element of its own whose id the buttons'
// names refer to: each button is named by a word kept once per page and that text
// ("Done: ITEM", aria-labelledby joins them with a space). The buttons are empty: their
// icons are drawn by site.css. The done and delete buttons post the form around the
// table, the edit buttons the GET form after it; each names its own URL relative to the
// list's (every page showing the list is at or under it). Ids are short, as a page
// carries a thousand of each: a list page stays small even at MAX_ITEMS_PER_LIST items
// of the longest text.
const ITEM_EDIT_FORM = "ef";
const ACTION_WORDS = { done: "wd", edit: "we", delete: "wx" } as const;

function itemRow(item: Item, index: number): Html {
  const url = `items/${item.id}/`;
  const textId = `i${item.id}`;
  return html`<tr${item.done ? html` class="item-done"` : ""}><td dir="auto">${index + 1}: <span id="${textId}">${item.text}</span></td><td><button formaction="${url}done" name="done" value="${item.done ? "0" : "1"}" class="btn" aria-labelledby="${ACTION_WORDS.done} ${textId}" aria-pressed="${item.done ? "true" : "false"}"></button><button form="${ITEM_EDIT_FORM}" formaction="${url}edit" class="btn" aria-labelledby="${ACTION_WORDS.edit} ${textId}"></button><button formaction="${url}delete" class="btn" aria-labelledby="${ACTION_WORDS.delete} ${textId}"></button></td></tr>`;
}

/** "3 of 8 done", and the button clearing the done items when there are some. */
function listStatus(list: ListView, csrfToken: string): Html {
  const clear =
    list.doneCount > 0
      ? html`<form method="POST" action="/lists/${list.id}/clear">
        ${csrfField(csrfToken)}
        <button type="submit" class="btn btn-sm btn-outline-secondary">Clear completed</button>
      </form>`
      : "";
  return html`<div class="list-status d-flex flex-wrap justify-content-between align-items-center gap-2 mt-4 mb-2">
    <p id="id_list_status" class="mb-0">${list.doneCount} of ${list.itemCount} done</p>
    ${clear}
  </div>`;
}

function itemsTable(list: ListView, csrfToken: string): Html {
  const note = list.more
    ? html`<p class="alert alert-warning" role="status">This list has more than ${list.maxItems} items: only the first ${list.maxItems} are shown. Delete some to see the others.</p>`
    : "";
  return html`${note}${listStatus(list, csrfToken)}
  <div hidden><span id="${ACTION_WORDS.done}">Done:</span><span id="${ACTION_WORDS.edit}">Edit:</span><span id="${ACTION_WORDS.delete}">Delete:</span></div>
  <form method="POST" action="/lists/${list.id}/">${csrfField(csrfToken)}
  <table id="id_list_table" class="table">
    ${list.items.map(itemRow)}
  </table>
  </form>
  <form id="${ITEM_EDIT_FORM}" method="GET" action="/lists/${list.id}/"></form>`;
}

/**
 * A secondary form's error: its message and the input's attributes pointing at it, only
 * when there is one (the page then has a single `.invalid-feedback`, the item input's).
 */
function fieldError(id: string, error: string | undefined): { attributes: Html | ""; message: Html | "" } {
  if (!error) return { attributes: "", message: "" };
  return {
    attributes: html` aria-describedby="${id}" aria-invalid="true"${AUTOFOCUS}`,
    message: html`<div id="${id}" class="invalid-feedback">${error}</div>`,
  };
}

// The owner's "Remove EMAIL" button is named by a word kept once and the address, as the
// item buttons are, so the item's text (the address) is all the list item shows.
const REMOVE_WORD = "wr";

function sharee(list: ListView, email: string, index: number, csrfToken: string): Html {
  if (!list.canShare) return html`<li class="list-sharee" dir="auto">${email}</li>`;
  const emailId = `s${index}`;
  return html`<li class="list-sharee"><span id="${emailId}" dir="auto">${email}</span><form method="POST" action="/lists/${list.id}/sharees/remove" class="d-inline">${csrfField(csrfToken)}<input type="hidden" name="email" value="${email}"><button type="submit" class="btn btn-remove-sharee ms-2" aria-labelledby="${REMOVE_WORD} ${emailId}"></button></form></li>`;
}

/** An ownerless list lives only at its address: say so, and how to keep it. */
function anonymousListNote(list: ListView): Html {
  const keep = list.viewerLoggedIn
    ? ""
    : html` Log in (at the top of the page) and it becomes yours: it stays in My lists, for you only.`;
  return html`<div class="col-lg-6">
      <p id="id_anonymous_note" class="text-body-secondary mb-0">This list lives at its address: bookmark this page to come back to it.${keep}</p>
    </div>`;
}

function sharing(list: ListView, csrfToken: string, { shareError, shareValue }: ListPageErrors): Html | "" {
  if (list.ownerEmail === null) return anonymousListNote(list);
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
  const removeWord = list.canShare ? html`<span id="${REMOVE_WORD}" hidden>Remove</span>` : "";
  return html`<div class="col-lg-3 col-md-6">${removeWord}
      <h2 class="h5">List owner: <span id="id_list_owner" dir="auto">${list.ownerEmail}</span></h2>
    </div>
    <div class="col-lg-3 col-md-6">
      <h2 class="h5">Shared with</h2>
      <ul class="list-sharees">${list.sharees.map((email, index) => sharee(list, email, index, csrfToken))}</ul>
      ${shareForm}
    </div>`;
}

function management(list: ListView, csrfToken: string, { nameError, nameValue }: ListPageErrors): Html | "" {
  if (list.canLeave) {
    return html`<div class="col-lg-6">
      <form method="GET" action="/lists/${list.id}/leave">
        <button type="submit" class="btn btn-outline-danger">Leave list</button>
      </form>
    </div>`;
  }
  if (!list.canManage) return "";
  return html`<div class="col-lg-6">
    <h2 class="h5">Manage this list</h2>
    <form method="POST" action="/lists/${list.id}/rename">
      <label class="form-label" for="id_list_name">List name</label>
      <input id="id_list_name" name="name" class="form-control${nameError ? " is-invalid" : ""}" value="${nameValue ?? list.name}" dir="auto"
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

/** What was wrong with a form just posted, and what the user had typed in it. */
export type ListPageErrors = {
  itemError?: string;
  itemValue?: string | undefined;
  shareError?: string;
  shareValue?: string | undefined;
  nameError?: string;
  nameValue?: string | undefined;
};

/** Above the list's name: whose list it is, for someone it is shared with. */
function kicker(list: ListView): Html | string {
  return list.canLeave && list.ownerEmail !== null
    ? html`To-Do list shared by <bdi>${list.ownerEmail}</bdi>`
    : "Your To-Do list";
}

export function listPage(list: ListView, csrfToken: string, errors: ListPageErrors = {}): Page {
  return {
    title: `${list.name} - ${list.canLeave ? `To-Do list shared by ${list.ownerEmail}` : "Your To-Do list"} - ${SITE}`,
    header: html`<span class="list-kicker">${kicker(list)}</span> <span class="list-name" dir="auto">${list.name}</span>`,
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
      editing: true,
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
    headerExtra: html`<p class="lead list-name">“<bdi>${view.listName}</bdi>” and its ${view.itemCount} will be deleted, for everyone it is shared with. This cannot be undone.</p>
      <form method="POST" action="/lists/${view.listId}/delete" class="d-inline-block me-2">
        ${csrfField(csrfToken)}
        <button type="submit" class="btn btn-danger">Delete list</button>
      </form>
      <a class="btn btn-outline-dark" href="/lists/${view.listId}/">Keep it</a>`,
  };
}

export function leaveListPage(view: { listId: string; listName: string; ownerEmail: string }, csrfToken: string): Page {
  return {
    title: `Leave ${view.listName}? - ${SITE}`,
    header: "Leave this list?",
    headerSize: "display-5",
    headerExtra: html`<p class="lead list-name">You will no longer see “<bdi>${view.listName}</bdi>”, unless <bdi>${view.ownerEmail}</bdi> shares it with you again.</p>
      <form method="POST" action="/lists/${view.listId}/leave" class="d-inline-block me-2">
        ${csrfField(csrfToken)}
        <button type="submit" class="btn btn-danger">Leave list</button>
      </form>
      <a class="btn btn-outline-dark" href="/lists/${view.listId}/">Stay</a>`,
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

function itemCount(count: number): string {
  return count === 1 ? "1 item" : `${count} items`;
}

function listLinks(summaries: ListSummaries, showOwner: boolean): Html {
  if (summaries.lists.length === 0) return html`<p class="text-body-secondary">None yet.</p>`;
  return html`<ul class="list-links">
    ${summaries.lists.map(
      (list) =>
        html`<li><a href="/lists/${list.id}/" dir="auto">${list.name}</a> <span class="text-body-secondary">(${showOwner ? html`<bdi>${list.ownerEmail}</bdi>, ` : ""}${itemCount(list.itemCount)})</span></li>`,
    )}
  </ul>`;
}

export function myListsPage(email: string, owned: ListSummaries, shared: ListSummaries, pages: MyListsPages): Page {
  return {
    title: `My Lists - ${SITE}`,
    header: "My Lists",
    headerExtra: html`<a class="btn btn-primary" href="/">New list</a>`,
    body: html`<h2 class="h3"><bdi>${email}</bdi>'s lists</h2>
      ${listLinks(owned, false)}
      ${pageLinks("owned", pages, owned, "your lists")}
      <h2 class="h3 mt-4">Lists shared by other users</h2>
      ${listLinks(shared, true)}
      ${pageLinks("shared", pages, shared, "lists shared with you")}`,
  };
}
