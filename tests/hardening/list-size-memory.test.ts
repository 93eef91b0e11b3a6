// A list can never cost more than the production image can afford. Under the
// image's heap cap, a list filled to MAX_ITEMS_PER_LIST with the costliest items
// (the longest allowed, every character an `&` that escapes to five bytes) is
// served again and again with the process alive; adding beyond the limit is a form
// error; and a list that already holds far more (data from before the limit) still
// renders, bounded, with a note. Without the limit, such a list crashed the
// process on every GET (issue 15).
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseDatabaseUrl } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { MAX_ITEM_LENGTH } from "../../src/lists/item-text.ts";
import { listIdFrom, tableRows, textFeedback } from "../support/html.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { HttpClient } from "./support/http-client.ts";

/** As the Dockerfile sets them for the production image. */
const IMAGE_NODE_OPTIONS = "--max-old-space-size=128 --max-semi-space-size=2";
const MAX_ITEMS = 1000;
/** Far beyond the limit: the size that crashed the image before it existed. */
const OLD_DATA_ITEMS = 20_000;
const GETS = 4;

const running = serverOnTestDatabase("all", () => ({
  EMAIL_BACKEND: "memory",
  MAX_ITEMS_PER_LIST: String(MAX_ITEMS),
  NODE_OPTIONS: IMAGE_NODE_OPTIONS,
}));
let database: Database;
beforeAll(() => {
  database = openDatabase(parseDatabaseUrl(running().database.url));
});
afterAll(() => database?.db.destroy());

/** A maximum-length item of `&`s, distinct from the others by its number. */
function costlyItem(n: number): string {
  const suffix = ` ${n}`;
  return "&".repeat(MAX_ITEM_LENGTH - suffix.length) + suffix;
}

/** Stores items straight in the database (as old data, or to fill a list quickly). */
async function insertItems(listId: string, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += 500) {
    const rows = Array.from({ length: Math.min(500, from + count - start) }, (_, i) => ({
      list_id: listId,
      text: costlyItem(start + i),
      created_at: Date.now(),
    }));
    await database.db.insertInto("items").values(rows).execute();
  }
  await database.db
    .updateTable("lists")
    .set((eb) => ({ item_count: eb("item_count", "+", count) }))
    .where("id", "=", listId)
    .execute();
  // SQLite's inserts block this process: meanwhile the server may have closed the idle
  // keep-alive connection. One turn of the event loop lets fetch see that before reusing it.
  await new Promise(setImmediate);
}

async function expectServedBounded(client: HttpClient, listId: string, note: boolean): Promise<void> {
  for (let i = 0; i < GETS; i++) {
    const response = await client.get(`/lists/${listId}/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    const rows = tableRows(page);
    expect(rows).toHaveLength(MAX_ITEMS);
    expect(rows[0]).toBe(`1: ${costlyItem(0).replaceAll("&", "&amp;")}`);
    expect(page.includes(`only the first ${MAX_ITEMS} are shown`)).toBe(note);
  }
  const { child } = running().server;
  expect(child.exitCode).toBeNull();
  expect(child.signalCode).toBeNull();
}

test("a full list of the costliest items is served under the image's heap cap, and adding more is a form error", async () => {
  const client = new HttpClient(running().server.url);
  const created = await client.post("/lists/new", { text: costlyItem(0) });
  expect(created.status).toBe(302);
  const listId = listIdFrom(created.headers.get("Location"));
  await insertItems(listId, 1, MAX_ITEMS - 2);

  expect((await client.post(`/lists/${listId}/`, { text: costlyItem(MAX_ITEMS - 1) })).status).toBe(302);
  const refused = await client.post(`/lists/${listId}/`, { text: "One too many" });
  expect(refused.status).toBe(400);
  expect(textFeedback(await refused.text())).toBe(
    `A list can hold at most ${MAX_ITEMS} items: delete some before adding more`,
  );

  await expectServedBounded(client, listId, false);
}, 180_000);

test(`a list that already holds ${OLD_DATA_ITEMS} such items shows its first ${MAX_ITEMS} with a note, process alive`, async () => {
  const client = new HttpClient(running().server.url);
  const created = await client.post("/lists/new", { text: costlyItem(0) });
  const listId = listIdFrom(created.headers.get("Location"));
  await insertItems(listId, 1, OLD_DATA_ITEMS - 1);

  await expectServedBounded(client, listId, true);
  expect((await client.get("/healthz")).status).toBe(200);
}, 180_000);
