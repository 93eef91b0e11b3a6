// Pages cost a fixed number of SQL queries, however much data they show (no N+1).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addItem, createList, listItemRecords, shareList } from "../../src/lists/list-store.ts";
import { loggedInClient } from "../support/accounts.ts";
import { tableRows } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const MANY = 50;
const executed: string[] = [];

type User = { email: string; client: TestClient; listId: string };

let testApp: TestApp;
let small: User;
let big: User;

/**
 * A logged-in user owning `count` lists, the first with `count` items and shared with
 * `count` people, and with `count` lists of someone else's shared with them.
 */
async function populate(email: string, count: number): Promise<User> {
  const { db } = testApp.database;
  const client = await loggedInClient(testApp, email);
  const friend = `friend-of-${email}`;
  await loggedInClient(testApp, friend);
  const owned: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await createList(db, email, `List ${i}, item 0`);
    // Every list has a second item, so naming a list by its first item means choosing.
    for (let j = 1; j < (i === 0 ? count : 2); j++)
      await addItem(db, id, `List ${i}, item ${j}`, testApp.config.maxItemsPerList);
    owned.push(id);
    await shareList(db, await createList(db, friend, `Their list ${i}`), email);
  }
  const listId = owned[0] ?? "";
  for (let i = 0; i < count; i++) await shareList(db, listId, `sharee-${i}@example.com`);
  return { email, client, listId };
}

beforeAll(async () => {
  testApp = await createTestApp({}, { queryLog: (event) => executed.push(event.query.sql) });
  small = await populate("small@example.com", 1);
  big = await populate("big@example.com", MANY);
});
afterAll(() => testApp.close());

/** The SQL statements one request ran, and its page. */
async function queriesFor(client: TestClient, path: string): Promise<{ sql: string[]; page: string }> {
  executed.length = 0;
  const response = await client.get(path);
  expect(response.status).toBe(200);
  const page = await response.text();
  return { sql: [...executed], page };
}

const count = (page: string, pattern: RegExp) => [...page.matchAll(pattern)].length;

describe.each([
  {
    name: "the home page",
    path: (_: User) => "/",
    shown: (page: string) => count(page, /Logged in as/g),
    expected: () => 1,
  },
  {
    name: "a list page",
    path: (user: User) => `/lists/${user.listId}/`,
    shown: (page: string) => tableRows(page).length + count(page, /class="list-sharee"/g),
    expected: (n: number) => 2 * n,
  },
  {
    name: "My Lists",
    path: (user: User) => `/lists/users/${encodeURIComponent(user.email)}/`,
    shown: (page: string) => count(page, /<li><a href="\/lists\/[0-9a-f]{32}\/"/g),
    expected: (n: number) => 2 * n,
  },
])("$name", ({ path, shown, expected }) => {
  test(`runs the same queries with ${MANY} lists, items and sharees as with 1`, async () => {
    const few = await queriesFor(small.client, path(small));
    const many = await queriesFor(big.client, path(big));
    // Both pages really show their data: the count is not low because something was skipped.
    expect(shown(few.page)).toBe(expected(1));
    expect(shown(many.page)).toBe(expected(MANY));
    expect(many.sql.length).toBeGreaterThan(0);
    // Sorted: independent queries may run concurrently, in either order.
    expect(many.sql.sort()).toEqual(few.sql.sort());
  });
});

test("an owner's list page reads the session, then the list with its items and sharees in one statement", async () => {
  const { sql, page } = await queriesFor(big.client, `/lists/${big.listId}/`);
  expect(count(page, /class="list-sharee"/g)).toBe(MANY);
  expect(sql).toHaveLength(2);
  expect(sql[0]).toMatch(/from "sessions"/i);
  for (const table of [/from "lists"/i, /from "list_shares"/i, /join "items"/i]) expect(sql[1]).toMatch(table);
});

/** A write a visitor posts: its path and form, given the list and its second item. */
type Write = {
  action: string;
  post: (listId: string, itemId: number) => { path: string; form: Record<string, string> };
  writes: RegExp;
};

describe.each<Write>([
  {
    action: "adding an item",
    post: (listId: string) => ({ path: `/lists/${listId}/`, form: { text: "Added" } }),
    writes: /"items"/,
  },
  {
    action: "marking an item done",
    post: (listId: string, itemId: number) => ({ path: `/lists/${listId}/items/${itemId}/done`, form: { done: "1" } }),
    writes: /^update "items"/i,
  },
  {
    action: "marking it not done",
    post: (listId: string, itemId: number) => ({ path: `/lists/${listId}/items/${itemId}/done`, form: { done: "0" } }),
    writes: /^update "items"/i,
  },
  {
    action: "editing an item",
    post: (listId: string, itemId: number) => ({
      path: `/lists/${listId}/items/${itemId}/edit`,
      form: { text: "Edited" },
    }),
    writes: /^update "items"/i,
  },
  {
    action: "deleting an item",
    post: (listId: string, itemId: number) => ({ path: `/lists/${listId}/items/${itemId}/delete`, form: {} }),
    writes: /"items"/,
  },
])("$action", ({ post, writes }) => {
  test("reads the list (who may change it), then writes in one statement: one round trip on PostgreSQL", async () => {
    const { db, kind } = testApp.database;
    const client = testApp.client();
    await client.get("/");
    const listId = await createList(db, null, "Kept");
    await addItem(db, listId, "Changed", testApp.config.maxItemsPerList);
    const [, item] = await listItemRecords(db, listId);
    const { path, form } = post(listId, item?.id ?? 0);
    executed.length = 0;
    expect((await client.post(path, form)).status).toBe(302);
    const [read, ...writing] = executed;
    expect(read).toMatch(/^select .* from "lists"/i);
    // SQLite has no data-modifying CTEs: an add or a delete, which also keep the list's
    // count, are a transaction there, of statements run in process.
    const transaction = kind === "sqlite" && writing.length > 1;
    const statements = transaction ? writing.slice(1, -1) : writing;
    if (transaction) expect([writing[0], writing.at(-1)]).toEqual(["begin", "commit"]);
    if (kind === "postgres") expect(writing).toHaveLength(1);
    expect(statements.filter((statement) => writes.test(statement))).toHaveLength(1);
    // Besides the list's count, a deleted item is kept for Undo.
    const others = statements.filter((statement) => !writes.test(statement));
    expect(
      others.every((statement) => /^(select|update) .*"lists"|^insert into "removed_items"/i.test(statement)),
    ).toBe(true);
  });
});

test("the query log sees the queries of every request, not just page views", async () => {
  executed.length = 0;
  expect((await small.client.post(`/lists/${small.listId}/`, { text: "One more" })).status).toBe(302);
  expect(executed.some((sql) => /insert into "items"/i.test(sql))).toBe(true);
});
