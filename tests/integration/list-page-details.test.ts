// Small things that help: an anonymous list says where it lives and how to keep it, My
// Lists shows item counts and a "New list" button, and the edit page focuses its field
// and gives a long or multi-line item a textarea.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listItemRecords } from "../../src/lists/list-store.ts";
import { loggedInClient } from "../support/accounts.ts";
import { listIdFrom } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

async function newList(client: TestClient, ...texts: string[]): Promise<string> {
  const [first = "", ...rest] = texts;
  const id = listIdFrom((await client.post("/lists/new", { text: first })).headers.get("Location"));
  for (const text of rest) await client.post(`/lists/${id}/`, { text });
  return id;
}

async function text(client: TestClient, path: string): Promise<string> {
  const response = await client.get(path);
  expect(response.status).toBe(200);
  return response.text();
}

describe("an anonymous list", () => {
  test("says it lives at its address, and that logging in keeps it (only to someone logged out)", async () => {
    const anonymous = testApp.client();
    const id = await newList(anonymous, "Mine for now");
    const page = await text(anonymous, `/lists/${id}/`);
    expect(page).toContain("This list lives at its address: bookmark this page to come back to it.");
    expect(page).toContain("Log in (at the top of the page) and it becomes yours");
    const loggedIn = await loggedInClient(testApp, "visitor@example.com");
    const theirView = await text(loggedIn, `/lists/${id}/`);
    expect(theirView).toContain("This list lives at its address");
    expect(theirView).not.toContain("Log in (at the top of the page)");

    const owned = await newList(loggedIn, "Owned");
    expect(await text(loggedIn, `/lists/${owned}/`)).not.toContain("lives at its address");
  });
});

describe("My Lists", () => {
  test("shows each list's item count, and a New list button to the home page", async () => {
    const alice = await loggedInClient(testApp, "alice@example.com");
    const bob = await loggedInClient(testApp, "bob@example.com");
    await newList(alice, "One thing");
    const shared = await newList(bob, "Party", "Cake", "Balloons");
    await bob.post(`/lists/${shared}/share`, { sharee: "alice@example.com" });
    const page = await text(alice, "/lists/users/alice%40example.com/");
    expect(page).toMatch(/>One thing<\/a> <span class="text-body-secondary">\(1 item\)<\/span>/);
    expect(page).toMatch(
      />Party<\/a> <span class="text-body-secondary">\(<bdi>bob@example.com<\/bdi>, 3 items\)<\/span>/,
    );
    expect(page).toContain('<a class="btn btn-primary" href="/">New list</a>');
    expect(page).toContain('<h1 class="display-1 page-header mb-4">My Lists</h1>');
  });
});

describe("the edit page", () => {
  test("focuses its field; a short item in an input, a long or multi-line one in a textarea", async () => {
    const client = testApp.client();
    const long = "A long item ".repeat(10).trim();
    const id = await newList(client, "Short", long, "Two\nlines");
    const [short, longItem, twoLines] = await listItemRecords(testApp.database.db, id);
    let page = await text(client, `/lists/${id}/items/${short?.id}/edit`);
    expect(page).toMatch(/<input id="id_text"[^>]*value="Short" autofocus[^>]*>/);
    page = await text(client, `/lists/${id}/items/${longItem?.id}/edit`);
    expect(page).toMatch(new RegExp(`<textarea id="id_text" name="text"[^>]* autofocus[^>]*>${long}</textarea>`));
    page = await text(client, `/lists/${id}/items/${twoLines?.id}/edit`);
    expect(page).toMatch(/<textarea id="id_text"[^>]*>Two\nlines<\/textarea>/);
  });
});
