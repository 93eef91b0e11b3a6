// "N of M done", "Clear completed", and Undo after deleting an item or clearing: the
// items come back with their text, done state and place, within the list's rules.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listItemRecords, listItems } from "../../src/lists/list-store.ts";
import { UNDO_WINDOW_MS } from "../../src/lists/removed-items.ts";
import { purgeExpired } from "../../src/retention/purge-expired.ts";
import { htmlText, loggedInClient } from "../support/accounts.ts";
import { flashAlert, listIdFrom, tableRows } from "../support/html.ts";
import { rowCounts } from "../support/row-counts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const MAX_ITEMS = 5;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ MAX_ITEMS_PER_LIST: String(MAX_ITEMS) });
});
afterAll(() => testApp.close());

async function newList(client: TestClient, ...texts: string[]): Promise<string> {
  const [first = "", ...rest] = texts;
  const id = listIdFrom((await client.post("/lists/new", { text: first })).headers.get("Location"));
  for (const text of rest) expect((await client.post(`/lists/${id}/`, { text })).status).toBe(302);
  return id;
}

async function itemId(listId: string, text: string): Promise<number> {
  const item = (await listItemRecords(testApp.database.db, listId)).find((record) => record.text === text);
  if (!item) throw new Error(`no item ${text}`);
  return item.id;
}

async function markDone(client: TestClient, listId: string, ...texts: string[]): Promise<void> {
  for (const text of texts) {
    const response = await client.post(`/lists/${listId}/items/${await itemId(listId, text)}/done`, { done: "1" });
    expect(response.status).toBe(302);
  }
}

async function pageOf(client: TestClient, listId: string): Promise<string> {
  const response = await client.get(`/lists/${listId}/`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The Undo form the flash carries: its action and token. */
function undoForm(page: string): { action: string; token: string } | undefined {
  const form = page.match(
    /<div class="alert[^"]*" role="alert">[\s\S]*?<form method="POST" action="([^"]+)"[\s\S]*?name="undo" value="([^"]+)"[\s\S]*?>Undo<\/button>/,
  );
  return form ? { action: form[1] ?? "", token: form[2] ?? "" } : undefined;
}

async function undo(client: TestClient, page: string): Promise<string> {
  const form = undoForm(page);
  if (!form) throw new Error("the page offers no Undo");
  const response = await client.post(form.action, { undo: form.token });
  expect(response.status).toBe(302);
  return pageOf(client, listIdFrom(response.headers.get("Location")));
}

function status(page: string): string | undefined {
  return page.match(/<p id="id_list_status"[^>]*>([^<]*)<\/p>/)?.[1];
}

function doneStates(listId: string) {
  return listItemRecords(testApp.database.db, listId).then((items) => items.map((item) => [item.text, item.done]));
}

describe("the list's status line", () => {
  test("says how many items are done of how many, and offers Clear completed only when some are", async () => {
    const client = testApp.client();
    const id = await newList(client, "Buy milk", "Buy eggs", "Buy bread");
    let page = await pageOf(client, id);
    expect(status(page)).toBe("0 of 3 done");
    expect(page).not.toContain("Clear completed");
    await markDone(client, id, "Buy eggs", "Buy bread");
    page = await pageOf(client, id);
    expect(status(page)).toBe("2 of 3 done");
    expect(page).toMatch(
      /<form method="POST" action="\/lists\/[0-9a-f]{32}\/clear">[\s\S]*?>Clear completed<\/button>/,
    );
  });
});

describe("deleting an item", () => {
  test("offers Undo, which puts it back in its place with its done state", async () => {
    const client = testApp.client();
    const id = await newList(client, "One", "Two", "Three");
    await markDone(client, id, "Two");
    expect((await client.post(`/lists/${id}/items/${await itemId(id, "Two")}/delete`)).status).toBe(302);
    let page = await pageOf(client, id);
    expect(tableRows(page)).toEqual(["1: One", "2: Three"]);
    expect(htmlText(flashAlert(page)?.text ?? "")).toContain("Deleted “Two”.");
    expect(undoForm(page)?.action).toBe(`/lists/${id}/undo`);

    page = await undo(client, page);
    expect(tableRows(page)).toEqual(["1: One", "2: Two", "3: Three"]);
    expect(await doneStates(id)).toEqual([
      ["One", false],
      ["Two", true],
      ["Three", false],
    ]);
    expect(flashAlert(page)).toEqual({ level: "success", text: "The item is back." });
    expect(status(page)).toBe("1 of 3 done");
  });

  test("a long item is quoted shortened in the flash (it travels in a cookie), and still comes back whole", async () => {
    const client = testApp.client();
    const long = "ü".repeat(1000);
    const id = await newList(client, "Short", long);
    await client.post(`/lists/${id}/items/${await itemId(id, long)}/delete`);
    const page = await pageOf(client, id);
    expect(flashAlert(page)?.text).toContain(`Deleted “${"ü".repeat(59)}…”.`);
    expect(tableRows(await undo(client, page))).toEqual(["1: Short", `2: ${long}`]);
  });
});

describe("clearing completed items", () => {
  test("removes the done items; Undo puts each back in its place, done", async () => {
    const client = testApp.client();
    const id = await newList(client, "A", "B", "C", "D");
    await markDone(client, id, "A", "C");
    expect((await client.post(`/lists/${id}/clear`)).status).toBe(302);
    let page = await pageOf(client, id);
    expect(tableRows(page)).toEqual(["1: B", "2: D"]);
    expect(flashAlert(page)?.text).toContain("Cleared 2 completed items.");
    expect(status(page)).toBe("0 of 2 done");

    page = await undo(client, page);
    expect(tableRows(page)).toEqual(["1: A", "2: B", "3: C", "4: D"]);
    expect(await doneStates(id)).toEqual([
      ["A", true],
      ["B", false],
      ["C", true],
      ["D", false],
    ]);
    expect(flashAlert(page)).toEqual({ level: "success", text: "2 items are back." });
  });

  test("with nothing done, says so and changes nothing", async () => {
    const client = testApp.client();
    const id = await newList(client, "A");
    await client.post(`/lists/${id}/clear`);
    expect(flashAlert(await pageOf(client, id))).toEqual({
      level: "warning",
      text: "No item is done: nothing to clear.",
    });
    expect(await listItems(testApp.database.db, id)).toEqual(["A"]);
  });

  test("the owner and the people it is shared with may clear and undo; nobody else", async () => {
    const owner = await loggedInClient(testApp, "owner@example.com");
    const sharee = await loggedInClient(testApp, "sharee@example.com");
    const stranger = await loggedInClient(testApp, "stranger@example.com");
    const id = await newList(owner, "Mine", "Ours");
    await owner.post(`/lists/${id}/share`, { sharee: "sharee@example.com" });
    await markDone(owner, id, "Ours");
    expect((await stranger.post(`/lists/${id}/clear`)).status).toBe(404);
    expect(await listItems(testApp.database.db, id)).toEqual(["Mine", "Ours"]);

    expect((await sharee.post(`/lists/${id}/clear`)).status).toBe(302);
    const page = await pageOf(sharee, id);
    expect(tableRows(page)).toEqual(["1: Mine"]);
    const form = undoForm(page);
    expect((await stranger.post(`/lists/${id}/undo`, { undo: form?.token ?? "" })).status).toBe(404);
    expect(tableRows(await undo(sharee, page))).toEqual(["1: Mine", "2: Ours"]);
  });
});

describe("Undo refuses what the list's rules refuse", () => {
  test("a text added again meanwhile: refused, and possible once the new one is gone", async () => {
    const client = testApp.client();
    const id = await newList(client, "Milk", "Eggs");
    await client.post(`/lists/${id}/items/${await itemId(id, "Milk")}/delete`);
    const deletedPage = await pageOf(client, id);
    await client.post(`/lists/${id}/`, { text: "Milk" });
    let page = await undo(client, deletedPage);
    expect(flashAlert(page)?.level).toBe("warning");
    expect(htmlText(flashAlert(page)?.text ?? "")).toContain("the list has an item with the same text again");
    expect(tableRows(page)).toEqual(["1: Eggs", "2: Milk"]);

    await client.post(`/lists/${id}/items/${await itemId(id, "Milk")}/delete`);
    await pageOf(client, id);
    page = await undo(client, deletedPage);
    expect(tableRows(page)).toEqual(["1: Milk", "2: Eggs"]);
  });

  test("a list filled up meanwhile: refused with the limit named", async () => {
    const client = testApp.client();
    const id = await newList(client, "1", "2", "3", "4", "5");
    await client.post(`/lists/${id}/items/${await itemId(id, "3")}/delete`);
    const deletedPage = await pageOf(client, id);
    await client.post(`/lists/${id}/`, { text: "6" });
    const page = await undo(client, deletedPage);
    expect(htmlText(flashAlert(page)?.text ?? "")).toBe(
      `Can't undo: a list can hold at most ${MAX_ITEMS} items. Delete some, then undo.`,
    );
    expect(tableRows(page)).toHaveLength(MAX_ITEMS);
  });

  test("an undo works once; a forged, used or expired token undoes nothing", async () => {
    const client = testApp.client();
    const id = await newList(client, "Keep", "Gone");
    await client.post(`/lists/${id}/items/${await itemId(id, "Gone")}/delete`);
    const deletedPage = await pageOf(client, id);
    expect((await client.post(`/lists/${id}/undo`, { undo: "forged" })).status).toBe(302);
    expect(htmlText(flashAlert(await pageOf(client, id))?.text ?? "")).toContain("can no longer be undone");
    await undo(client, deletedPage);
    const again = await undo(client, deletedPage);
    expect(htmlText(flashAlert(again)?.text ?? "")).toContain("can no longer be undone");
    expect(tableRows(again)).toEqual(["1: Keep", "2: Gone"]);
  });

  test("removed items are purged by the retention job once the undo window is over", async () => {
    const client = testApp.client();
    const id = await newList(client, "Keep", "Purged");
    await client.post(`/lists/${id}/items/${await itemId(id, "Purged")}/delete`);
    const deletedPage = await pageOf(client, id);
    const before = (await rowCounts(testApp.database.db)).removed_items ?? 0;
    expect(before).toBeGreaterThan(0);
    await purgeExpired(testApp.database.db, Date.now() + UNDO_WINDOW_MS + 1);
    expect((await rowCounts(testApp.database.db)).removed_items).toBe(0);
    expect(htmlText(flashAlert(await undo(client, deletedPage))?.text ?? "")).toContain("can no longer be undone");
  });
});
