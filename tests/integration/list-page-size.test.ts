// A list page's size: each item's text is sent once per row (the buttons' names refer
// to it), so a long list of long items stays a page a phone can load.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_ITEM_LENGTH } from "../../src/lists/item-text.ts";
import { createList } from "../../src/lists/list-store.ts";
import { tableRows } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

/** A list holding `texts`, inserted directly (a thousand posts would only slow the test). */
async function listOf(texts: string[]): Promise<string> {
  const db = testApp.database.db;
  const [first = "", ...rest] = texts;
  const id = await createList(db, null, first);
  const values = rest.map((text) => ({ list_id: id, text, created_at: Date.now() }));
  for (let start = 0; start < values.length; start += 500) {
    await db
      .insertInto("items")
      .values(values.slice(start, start + 500))
      .execute();
  }
  await db.updateTable("lists").set({ item_count: texts.length }).where("id", "=", id).execute();
  return id;
}

async function pageBytes(id: string): Promise<{ bytes: number; page: string }> {
  const response = await testApp.client().get(`/lists/${id}/`);
  expect(response.status).toBe(200);
  const body = new Uint8Array(await response.arrayBuffer());
  return { bytes: body.byteLength, page: new TextDecoder().decode(body) };
}

function occurrences(page: string, text: string): number {
  return page.split(text).length - 1;
}

describe("list page size", () => {
  test("1,000 items like the bench's: at most 500 KB, each item's text once", async () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `item ${i + 1}`);
    const { bytes, page } = await pageBytes(await listOf(texts));
    expect(tableRows(page)).toHaveLength(1000);
    expect(bytes).toBeLessThanOrEqual(500_000);
    expect(occurrences(page, "item 777<")).toBe(1);
  });

  test("MAX_ITEMS_PER_LIST items of the maximum length, of the characters costliest to send: at most 6 MB", async () => {
    const maxItems = testApp.config.maxItemsPerList;
    // `&`, `"` and `'` are 5 bytes each once escaped, as much as any character.
    const texts = Array.from({ length: maxItems }, (_, i) => `${i + 1} `.padEnd(MAX_ITEM_LENGTH, `&"'`));
    const { bytes, page } = await pageBytes(await listOf(texts));
    expect(tableRows(page)).toHaveLength(maxItems);
    expect(bytes).toBeLessThanOrEqual(6_000_000);
  });
});
