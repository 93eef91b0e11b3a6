// The HTML of the home, list and My Lists pages.
import { type Html, html } from "../web/html.ts";
import { csrfField, type Page } from "../web/layout.ts";
import type { ListSummary } from "./list-store.ts";

const TITLE = "To-Do lists - Superlists";

type ItemForm = { action: string; csrfToken: string; error?: string | undefined; value?: string | undefined };

function itemForm({ action, csrfToken, error, value }: ItemForm): Html {
  return html`<form method="POST" action="${action}">
    <input id="id_text" name="text" class="form-control form-control-lg${error ? " is-invalid" : ""}"
      placeholder="Enter a to-do item" aria-describedby="id_text_feedback" value="${value ?? ""}" autocomplete="off" required>
    ${csrfField(csrfToken)}
    <div id="id_text_feedback" class="invalid-feedback">${error ?? ""}</div>
  </form>`;
}

export function homePage(form: { csrfToken: string; error?: string; value?: string }): Page {
  return {
    title: TITLE,
    header: "Start a new To-Do list",
    headerExtra: itemForm({ action: "/lists/new", ...form }),
    scripts: true,
  };
}

export type ListView = {
  id: string;
  items: string[];
  ownerEmail: string | null;
  sharees: string[];
  canShare: boolean;
};

function itemsTable(items: string[]): Html {
  return html`<table id="id_list_table" class="table">
    ${items.map((item, index) => html`<tr><td>${index + 1}: ${item}</td></tr>`)}
  </table>`;
}

function sharing(list: ListView, csrfToken: string, shareError: string | undefined): Html | undefined {
  if (list.ownerEmail === null) return undefined;
  const shareForm = list.canShare
    ? html`<form method="POST" action="/lists/${list.id}/share" class="mt-2">
        <label class="form-label" for="id_sharee">Share this list</label>
        <input id="id_sharee" name="sharee" type="email" class="form-control${shareError ? " is-invalid" : ""}"
          placeholder="your-friend@example.com" aria-describedby="id_sharee_feedback" required>
        ${csrfField(csrfToken)}
        <div id="id_sharee_feedback" class="invalid-feedback">${shareError ?? ""}</div>
      </form>`
    : "";
  return html`<div class="row justify-content-center mt-4">
    <div class="col-lg-3">
      <h5>List owner: <span id="id_list_owner">${list.ownerEmail}</span></h5>
    </div>
    <div class="col-lg-3">
      <h5>Shared with</h5>
      <ul>${list.sharees.map((email) => html`<li class="list-sharee">${email}</li>`)}</ul>
      ${shareForm}
    </div>
  </div>`;
}

export type ListPageErrors = { itemError?: string; itemValue?: string; shareError?: string };

export function listPage(list: ListView, csrfToken: string, errors: ListPageErrors = {}): Page {
  return {
    title: TITLE,
    header: "Your To-Do list",
    headerExtra: itemForm({
      action: `/lists/${list.id}/`,
      csrfToken,
      error: errors.itemError,
      value: errors.itemValue,
    }),
    body: itemsTable(list.items),
    after: sharing(list, csrfToken, errors.shareError),
    scripts: true,
  };
}

function listLinks(lists: ListSummary[], showOwner: boolean): Html {
  if (lists.length === 0) return html`<p class="text-body-secondary">None yet.</p>`;
  return html`<ul>
    ${lists.map(
      (list) =>
        html`<li><a href="/lists/${list.id}/">${list.name}</a>${showOwner ? html` <span class="text-body-secondary">(${list.ownerEmail})</span>` : ""}</li>`,
    )}
  </ul>`;
}

export function myListsPage(email: string, owned: ListSummary[], shared: ListSummary[]): Page {
  return {
    title: "My Lists - Superlists",
    header: "My Lists",
    body: html`<h2 class="h3">${email}'s lists</h2>
      ${listLinks(owned, false)}
      <h2 class="h3 mt-4">Lists shared by other users</h2>
      ${listLinks(shared, true)}`,
  };
}
