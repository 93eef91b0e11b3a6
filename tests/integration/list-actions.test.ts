// The actions on items (done, edit, delete) and on lists (rename, delete, leave):
// what each does, the validation of edits and names, and who may do which.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DUPLICATE_ITEM_ERROR, EMPTY_ITEM_ERROR } from "../../src/lists/item-text.ts";
import { EMPTY_NAME_ERROR } from "../../src/lists/list-name.ts";
import { findList, listItemRecords, listItems, listSharees, shareList } from "../../src/lists/list-store.ts";
import { htmlText, loggedInClient } from "../support/accounts.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { flashAlert, labelledButtons, listIdFrom, tableRows, textFeedback } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const OWNER = "owner@example.com";
const SHAREE = "sharee@example.com";
const OTHER = "other@example.com";

type Who = "anonymous" | "owner" | "sharee" | "other user";

let testApp: TestApp;
let logLines: LogLine[];
let clients: Record<Who, TestClient>;

beforeAll(async () => {
  const logs = capturedLogs();
  logLines = logs.lines;
  testApp = await createTestApp({}, { logger: logs.logger });
  clients = {
    anonymous: testApp.client(),
    owner: await loggedInClient(testApp, OWNER),
    sharee: await loggedInClient(testApp, SHAREE),
    "other user": await loggedInClient(testApp, OTHER),
  };
});
afterAll(() => testApp.close());

async function newList(client: TestClient, ...texts: string[]): Promise<string> {
  const [first = "", ...rest] = texts;
  const response = await client.post("/lists/new", { text: first });
  expect(response.status).toBe(302);
  const id = listIdFrom(response.headers.get("Location"));
  for (const text of rest) expect((await client.post(`/lists/${id}/`, { text })).status).toBe(302);
  return id;
}

async function sharedList(...texts: string[]): Promise<string> {
  const id = await newList(clients.owner, ...texts);
  expect((await clients.owner.post(`/lists/${id}/share`, { sharee: SHAREE })).status).toBe(302);
  return id;
}

async function itemIds(listId: string): Promise<number[]> {
  return (await listItemRecords(testApp.database.db, listId)).map((item) => item.id);
}

async function pageOf(client: TestClient, listId: string): Promise<string> {
  const response = await client.get(`/lists/${listId}/`);
  expect(response.status).toBe(200);
  return response.text();
}

function heading(page: string): string {
  return htmlText((page.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? "").replace(/<[^>]+>/g, "")).replace(/\s+/g, " ");
}

function title(page: string): string {
  return htmlText(page.match(/<title>([\s\S]*?)<\/title>/)?.[1] ?? "");
}

describe("marking items done", () => {
  test("a done item stays `N: ITEM`, is struck through and its button is pressed; undone again", async () => {
    const client = testApp.client();
    const id = await newList(client, "Buy milk", "Buy eggs");
    const [, eggs] = await itemIds(id);
    expect((await client.post(`/lists/${id}/items/${eggs}/done`, { done: "1" })).status).toBe(302);
    let page = await pageOf(client, id);
    expect(tableRows(page)).toEqual(["1: Buy milk", "2: Buy eggs"]);
    expect(page).toMatch(/<tr class="item-done"><td[^>]*>2: <span[^>]*>Buy eggs<\/span><\/td>/);
    expect(labelledButtons(page)).toEqual([
      { name: "Done: Buy milk", pressed: "false" },
      { name: "Edit: Buy milk", pressed: undefined },
      { name: "Delete: Buy milk", pressed: undefined },
      { name: "Done: Buy eggs", pressed: "true" },
      { name: "Edit: Buy eggs", pressed: undefined },
      { name: "Delete: Buy eggs", pressed: undefined },
    ]);

    expect((await client.post(`/lists/${id}/items/${eggs}/done`, { done: "0" })).status).toBe(302);
    page = await pageOf(client, id);
    expect(page).not.toContain("item-done");
    expect((await listItemRecords(testApp.database.db, id)).map((item) => item.done)).toEqual([false, false]);
  });

  test("without a clear done value the request is refused and nothing changes", async () => {
    const client = testApp.client();
    const id = await newList(client, "Vague");
    const [item] = await itemIds(id);
    for (const done of ["", "yes", "2"]) {
      expect((await client.post(`/lists/${id}/items/${item}/done`, { done })).status).toBe(400);
    }
    expect((await listItemRecords(testApp.database.db, id))[0]?.done).toBe(false);
  });
});

describe("editing items", () => {
  test("the edit page (no JavaScript needed) shows the item in the usual input; saving changes its text", async () => {
    const client = testApp.client();
    const id = await newList(client, "Buy mlik");
    const [item] = await itemIds(id);
    const form = await client.get(`/lists/${id}/items/${item}/edit`);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toMatch(/<input id="id_text" name="text" class="form-control form-control-lg"[^>]*value="Buy mlik"/);
    expect(page).toContain(`action="/lists/${id}/items/${item}/edit"`);
    expect(title(page)).toBe("Edit item - Buy mlik - Superlists");

    expect((await client.post(`/lists/${id}/items/${item}/edit`, { text: "Buy milk" })).status).toBe(302);
    expect(await listItems(testApp.database.db, id)).toEqual(["Buy milk"]);
  });

  test.each([
    ["empty", "  ", EMPTY_ITEM_ERROR],
    ["a duplicate of another item", "Second", DUPLICATE_ITEM_ERROR],
    ["over-long", "x".repeat(1001), "An item can be at most 1000 characters long"],
  ])("an %s text gets the same error as adding, 400, and nothing changes", async (_, text, error) => {
    const client = testApp.client();
    const id = await newList(client, "First", "Second");
    const [first] = await itemIds(id);
    const response = await client.post(`/lists/${id}/items/${first}/edit`, { text });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(htmlText(textFeedback(page))).toBe(error);
    expect(page).toMatch(
      // A long text comes back in a textarea (where all of it is seen), a short one in the input.
      /<(input|textarea) id="id_text" name="text" class="form-control form-control-lg is-invalid"[^>]*aria-invalid="true"/,
    );
    expect(await listItems(testApp.database.db, id)).toEqual(["First", "Second"]);
  });

  test("saving an item unchanged is fine (it is not a duplicate of itself)", async () => {
    const client = testApp.client();
    const id = await newList(client, "Same");
    const [item] = await itemIds(id);
    expect((await client.post(`/lists/${id}/items/${item}/edit`, { text: " Same " })).status).toBe(302);
    expect(await listItems(testApp.database.db, id)).toEqual(["Same"]);
  });
});

describe("deleting items", () => {
  test("removes the item and renumbers the rest", async () => {
    const client = testApp.client();
    const id = await newList(client, "One", "Two", "Three");
    const [, two] = await itemIds(id);
    expect((await client.post(`/lists/${id}/items/${two}/delete`)).status).toBe(302);
    expect(tableRows(await pageOf(client, id))).toEqual(["1: One", "2: Three"]);
  });
});

describe("bad item addresses are 404 pages, never errors", () => {
  test.each([
    ["not a number", "abc"],
    ["zero", "0"],
    ["too large for the database", "99999999999"],
    ["with a sign", "-1"],
    ["an item that does not exist", "2147483647"],
  ])("%s", async (_, itemId) => {
    const client = testApp.client();
    const id = await newList(client, "Intact");
    for (const [method, action] of [
      ["POST", "done"],
      ["GET", "edit"],
      ["POST", "edit"],
      ["POST", "delete"],
    ] as const) {
      const path = `/lists/${id}/items/${itemId}/${action}`;
      const response = method === "GET" ? await client.get(path) : await client.post(path, { done: "1", text: "x" });
      expect(response.status, `${method} ${action}`).toBe(404);
    }
    expect(await listItems(testApp.database.db, id)).toEqual(["Intact"]);
  });

  test("another list's item, through a list the visitor may change, is no item", async () => {
    const client = testApp.client();
    const mine = await newList(client, "Mine");
    const theirs = await newList(testApp.client(), "Theirs");
    const [theirItem] = await itemIds(theirs);
    expect((await client.post(`/lists/${mine}/items/${theirItem}/delete`)).status).toBe(404);
    expect((await client.post(`/lists/${mine}/items/${theirItem}/edit`, { text: "Hacked" })).status).toBe(404);
    expect(await listItems(testApp.database.db, theirs)).toEqual(["Theirs"]);
  });
});

describe("a list's name", () => {
  test("is its first item's text until the owner renames it: heading, title and My Lists", async () => {
    const id = await newList(clients.owner, "Wedding plans", "Book venue");
    let page = await pageOf(clients.owner, id);
    expect(heading(page)).toBe("Your To-Do list Wedding plans");
    expect(title(page)).toBe("Wedding plans - Your To-Do list - Superlists");

    expect((await clients.owner.post(`/lists/${id}/rename`, { name: "Our wedding" })).status).toBe(302);
    page = await pageOf(clients.owner, id);
    expect(heading(page)).toBe("Your To-Do list Our wedding");
    expect(title(page)).toContain("Our wedding");
    expect(tableRows(page)).toEqual(["1: Wedding plans", "2: Book venue"]);
    const myLists = await (await clients.owner.get(`/lists/users/${OWNER}/`)).text();
    expect(myLists).toContain(`<a href="/lists/${id}/" dir="auto">Our wedding</a>`);
  });

  test("an empty name is refused with a form error on the list page", async () => {
    const id = await newList(clients.owner, "Keep my name");
    const response = await clients.owner.post(`/lists/${id}/rename`, { name: " " });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(
      `<div id="id_list_name_feedback" class="invalid-feedback">${EMPTY_NAME_ERROR.replaceAll("'", "&#39;")}</div>`,
    );
    expect((await findList(testApp.database.db, id))?.name).toBeNull();
  });

  test("a list whose items are all gone and has no name is an untitled list", async () => {
    const client = testApp.client();
    const id = await newList(client, "Only item");
    const [item] = await itemIds(id);
    await client.post(`/lists/${id}/items/${item}/delete`);
    expect(heading(await pageOf(client, id))).toBe("Your To-Do list Untitled list");
  });
});

describe("deleting a list", () => {
  test("asks first (a page whose button posts), then deletes items and shares and says so", async () => {
    const id = await sharedList("Old plans", "More plans");
    const confirm = await clients.owner.get(`/lists/${id}/delete`);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(htmlText(page.replace(/<[^>]+>/g, ""))).toContain("“Old plans” and its 2 items will be deleted");
    expect(page).toMatch(new RegExp(`<form method="POST" action="/lists/${id}/delete"`));
    expect(await findList(testApp.database.db, id)).toBeDefined();

    const response = await clients.owner.post(`/lists/${id}/delete`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/lists/users/${encodeURIComponent(OWNER)}/`);
    expect(flashAlert(await (await clients.owner.get(response.headers.get("Location") ?? "")).text())).toEqual({
      level: "success",
      text: "The list was deleted.",
    });
    expect(await findList(testApp.database.db, id)).toBeUndefined();
    expect(await listItems(testApp.database.db, id)).toEqual([]);
    expect(await listSharees(testApp.database.db, id)).toEqual([]);
    expect((await clients.sharee.get(`/lists/${id}/`)).status).toBe(404);
  });

  test("an anonymous list is deleted by whoever has its URL, who then goes home", async () => {
    const id = await newList(clients.anonymous, "Throwaway");
    const response = await testApp.client().post(`/lists/${id}/delete`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(await findList(testApp.database.db, id)).toBeUndefined();
  });
});

describe("leaving a shared list", () => {
  test("takes the sharee off the list: it is gone from their My Lists and its page is 404 for them", async () => {
    const id = await sharedList("Team tasks");
    const response = await clients.sharee.post(`/lists/${id}/leave`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/lists/users/${encodeURIComponent(SHAREE)}/`);
    const myLists = await (await clients.sharee.get(response.headers.get("Location") ?? "")).text();
    expect(flashAlert(myLists)?.level).toBe("success");
    expect(myLists).not.toContain(id);
    expect((await clients.sharee.get(`/lists/${id}/`)).status).toBe(404);
    expect(await listSharees(testApp.database.db, id)).toEqual([]);
  });
});

describe("the list page offers each visitor what they may do", () => {
  test.each([
    ["owner", ["Rename list", "Delete list"], ["Leave list"]],
    ["sharee", ["Leave list"], ["Rename list", "Delete list"]],
  ] as const)("the %s", async (who, shown, hidden) => {
    const id = await sharedList("Offered");
    const page = await pageOf(clients[who], id);
    for (const label of shown) expect(page).toContain(`>${label}</button>`);
    for (const label of hidden) expect(page).not.toContain(`>${label}</button>`);
  });
});

describe("feedback after sharing", () => {
  test("sharing says with whom; sharing with yourself says it is your list and records nothing", async () => {
    const id = await newList(clients.owner, "Feedback");
    let response = await clients.owner.post(`/lists/${id}/share`, { sharee: "friend@example.com" });
    expect(flashAlert(await pageOf(clients.owner, id))).toEqual({
      level: "success",
      text: "Shared with friend@example.com. We&#39;ve emailed them the list&#39;s link.",
    });
    response = await clients.owner.post(`/lists/${id}/share`, { sharee: OWNER.toUpperCase() });
    expect(response.status).toBe(302);
    expect(flashAlert(await pageOf(clients.owner, id))).toEqual({
      level: "warning",
      text: "That&#39;s your own address: you own this list already.",
    });
    expect(await listSharees(testApp.database.db, id)).toEqual(["friend@example.com"]);
  });

  test("an address with a space in it is refused before it reaches the database, by the form and by the store", async () => {
    const id = await newList(clients.owner, "Two people in one address");
    const twoPeople = `${SHAREE} ${OTHER}`;
    expect((await clients.owner.post(`/lists/${id}/share`, { sharee: twoPeople })).status).toBe(400);
    await expect(shareList(testApp.database.db, id, twoPeople)).rejects.toThrow(/no whitespace/);
    expect(await listSharees(testApp.database.db, id)).toEqual([]);
    expect((await clients["other user"].get(`/lists/${id}/`)).status).toBe(404);
  });
});

// Every action × every kind of visitor. Sharees change items as they add them; only the
// owner renames or deletes an owned list; only a sharee leaves it; strangers get the
// 404 of a list that does not exist. An ownerless list is everybody's who has the URL.
type Action = "done" | "edit form" | "edit" | "delete item" | "rename" | "delete form" | "delete list" | "leave";

async function attempt(client: TestClient, listId: string, itemId: number, action: Action): Promise<number> {
  const item = `/lists/${listId}/items/${itemId}`;
  const requests: Record<Action, () => Promise<Response>> = {
    done: () => client.post(`${item}/done`, { done: "1" }),
    "edit form": () => client.get(`${item}/edit`),
    edit: () => client.post(`${item}/edit`, { text: "Edited" }),
    "delete item": () => client.post(`${item}/delete`),
    rename: () => client.post(`/lists/${listId}/rename`, { name: "Renamed" }),
    "delete form": () => client.get(`/lists/${listId}/delete`),
    "delete list": () => client.post(`/lists/${listId}/delete`),
    leave: () => client.post(`/lists/${listId}/leave`),
  };
  return (await requests[action]()).status;
}

/** What the action changed, to check it happened exactly when it was allowed. */
async function effect(listId: string, action: Action): Promise<boolean> {
  const db = testApp.database.db;
  const items = await listItemRecords(db, listId);
  const list = await findList(db, listId);
  const effects: Record<Action, boolean> = {
    done: items[0]?.done === true,
    "edit form": false,
    edit: items[0]?.text === "Edited",
    "delete item": list !== undefined && items.length === 1,
    rename: list?.name === "Renamed",
    "delete form": false,
    "delete list": list === undefined,
    leave: !(await listSharees(db, listId)).includes(SHAREE),
  };
  return effects[action];
}

const OWNED_LIST_MATRIX: [Who, Record<Action, number>][] = [
  [
    "owner",
    {
      done: 302,
      "edit form": 200,
      edit: 302,
      "delete item": 302,
      rename: 302,
      "delete form": 200,
      "delete list": 302,
      leave: 403,
    },
  ],
  [
    "sharee",
    {
      done: 302,
      "edit form": 200,
      edit: 302,
      "delete item": 302,
      rename: 403,
      "delete form": 403,
      "delete list": 403,
      leave: 302,
    },
  ],
  [
    "anonymous",
    {
      done: 404,
      "edit form": 404,
      edit: 404,
      "delete item": 404,
      rename: 404,
      "delete form": 404,
      "delete list": 404,
      leave: 404,
    },
  ],
  [
    "other user",
    {
      done: 404,
      "edit form": 404,
      edit: 404,
      "delete item": 404,
      rename: 404,
      "delete form": 404,
      "delete list": 404,
      leave: 404,
    },
  ],
];

describe.each(OWNED_LIST_MATRIX)("an owned list, for the %s", (who, expected) => {
  test.each(Object.entries(expected) as [Action, number][])(
    "%s → %i, and it happens only when allowed",
    async (action, status) => {
      const id = await sharedList("Item one", "Item two");
      const [first] = await itemIds(id);
      expect(await attempt(clients[who], id, first ?? 0, action)).toBe(status);
      expect(await effect(id, action)).toBe(status === 302);
    },
  );
});

describe.each(["anonymous", "owner", "sharee", "other user"] as const)("an ownerless list, for the %s", (who) => {
  const expected: Record<Action, number> = {
    done: 302,
    "edit form": 200,
    edit: 302,
    "delete item": 302,
    rename: 302,
    "delete form": 200,
    "delete list": 302,
    leave: 403,
  };
  test.each(Object.entries(expected) as [Action, number][])(
    "%s → %i, and it happens only when allowed",
    async (action, status) => {
      const id = await newList(testApp.client(), "Item one", "Item two");
      const [first] = await itemIds(id);
      expect(await attempt(clients[who], id, first ?? 0, action)).toBe(status);
      if (action !== "leave") expect(await effect(id, action)).toBe(status === 302);
    },
  );
});

describe("CSRF, as for adding items", () => {
  test.each(["items/ITEM/done", "items/ITEM/edit", "items/ITEM/delete", "rename", "delete", "leave"])(
    "POST %s without the form's token → 403, nothing changed",
    async (suffix) => {
      const id = await sharedList("Protected");
      const [item] = await itemIds(id);
      const response = await clients.owner.request(`/lists/${id}/${suffix.replace("ITEM", String(item))}`, {
        method: "POST",
        body: new URLSearchParams({ done: "1", text: "x", name: "x" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      expect(response.status).toBe(403);
      expect(await listItemRecords(testApp.database.db, id)).toMatchObject([{ text: "Protected", done: false }]);
      expect((await findList(testApp.database.db, id))?.name).toBeNull();
      expect(await listSharees(testApp.database.db, id)).toEqual([SHAREE]);
    },
  );
});

describe("audit lines", () => {
  function auditLines(event: string, listId: string) {
    return logLines.filter((line) => line.audit === event && line.listId === listId);
  }

  test("sharing, deleting and leaving a list each log one line with the request id and the list id", async () => {
    const left = await sharedList("Left behind");
    await clients.sharee.post(`/lists/${left}/leave`, {}, { "X-Request-Id": "leave-request-1" });
    const deleted = await sharedList("Deleted");
    await clients.owner.post(`/lists/${deleted}/delete`, {}, { "X-Request-Id": "delete-request-1" });

    expect(auditLines("list-shared", left)).toEqual([
      expect.objectContaining({ user: OWNER, sharee: SHAREE, requestId: expect.any(String) }),
    ]);
    expect(auditLines("list-left", left)).toEqual([
      expect.objectContaining({ user: SHAREE, requestId: "leave-request-1" }),
    ]);
    expect(auditLines("list-deleted", deleted)).toEqual([
      expect.objectContaining({ user: OWNER, requestId: "delete-request-1" }),
    ]);
    // Nothing secret: no session key or CSRF token in any audit line.
    const secrets = [...clients.owner.cookies.values(), ...clients.sharee.cookies.values()];
    for (const line of logLines.filter((candidate) => candidate.audit !== undefined)) {
      for (const secret of secrets) expect(JSON.stringify(line)).not.toContain(secret);
    }
  });
});
