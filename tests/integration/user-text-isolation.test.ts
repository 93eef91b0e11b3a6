// User text (list names, item texts, addresses) is shown in an element of its own that
// isolates its direction (`dir="auto"` or `<bdi>`): a right-to-left item is laid out by
// its own script, and a name ending in U+202E (right-to-left override) cannot reverse
// the text shown after it, such as the owner's address on a sharee's My Lists.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loggedInClient } from "../support/accounts.ts";
import { listIdFrom } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const OWNER = "owner@example.com";
const SHAREE = "sharee@example.com";
const OVERRIDE = "\u202e";
const NAME = `Holiday${OVERRIDE}`;
const ARABIC_ITEM = "شراء الحليب";

let testApp: TestApp;
let owner: TestClient;
let sharee: TestClient;
let listId: string;

beforeAll(async () => {
  testApp = await createTestApp();
  owner = await loggedInClient(testApp, OWNER);
  sharee = await loggedInClient(testApp, SHAREE);
  const created = await owner.post("/lists/new", { text: "Pack" });
  listId = listIdFrom(created.headers.get("Location"));
  expect((await owner.post(`/lists/${listId}/`, { text: ARABIC_ITEM })).status).toBe(302);
  expect((await owner.post(`/lists/${listId}/rename`, { name: NAME })).status).toBe(302);
  expect((await owner.post(`/lists/${listId}/share`, { sharee: SHAREE })).status).toBe(302);
});
afterAll(() => testApp.close());

/** The isolating elements holding exactly `text` (escaped as the page has it). */
function isolated(page: string, text: string): string[] {
  const element = /<(bdi|[a-z]+)((?:\s[^>]*)?)>([^<]*)<\/\1>/g;
  return [...page.matchAll(element)]
    .filter(
      ([, tag, attributes, content]) => content === text && (tag === "bdi" || /\sdir="auto"/.test(attributes ?? "")),
    )
    .map(([whole]) => whole);
}

/** Each row's item cell: whether it takes its direction from its text, and its text. */
function itemCells(page: string): { auto: boolean; text: string }[] {
  return [...page.matchAll(/<tr[^>]*><td([^>]*)>([\s\S]*?)<\/td>/g)].map(([, attributes, content]) => ({
    auto: /\sdir="auto"/.test(attributes ?? ""),
    text: (content ?? "").replace(/<[^>]*>/g, ""),
  }));
}

async function page(client: TestClient, path: string): Promise<string> {
  const response = await client.get(path);
  expect(response.status).toBe(200);
  return response.text();
}

describe("user text is isolated", () => {
  test("on a sharee's My Lists, the list's name and its owner's address each in their own", async () => {
    const myLists = await page(sharee, `/lists/users/${encodeURIComponent(SHAREE)}/`);
    expect(isolated(myLists, NAME)).toHaveLength(1);
    expect(isolated(myLists, OWNER)).toHaveLength(1);
    expect(isolated(myLists, SHAREE)).not.toHaveLength(0);
  });

  test("on the list page: its name, each item's text, the owner and the sharees", async () => {
    const listPage = await page(owner, `/lists/${listId}/`);
    expect(isolated(listPage, NAME)).toHaveLength(1);
    expect(itemCells(listPage)).toEqual([
      { auto: true, text: "1: Pack" },
      { auto: true, text: `2: ${ARABIC_ITEM}` },
    ]);
    expect(isolated(listPage, OWNER)).toHaveLength(1);
    expect(isolated(listPage, SHAREE)).toHaveLength(1);
  });

  test("on the delete confirmation, the name quoted in its sentence", async () => {
    expect(isolated(await page(owner, `/lists/${listId}/delete`), NAME)).toHaveLength(1);
  });
});
