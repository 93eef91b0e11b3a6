// Limits that keep every page's cost bounded: items per list (MAX_ITEMS_PER_LIST,
// a form error beyond it; older, larger lists show their first items with a note)
// and My Lists in pages of MY_LISTS_PAGE_SIZE per section.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { MY_LISTS_PAGE_SIZE } from "../../src/lists/list-routes.ts";
import { createList, listItemRecords, listItems, shareList } from "../../src/lists/list-store.ts";
import { htmlText, loggedInClient } from "../support/accounts.ts";
import { listIdFrom, tableRows, textFeedback } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp({ MAX_ITEMS_PER_LIST: "3" });
});
afterAll(() => testApp.close());

describe("MAX_ITEMS_PER_LIST", () => {
  test("is 1000 by default, and must be a whole number from 1 to 1,000,000", () => {
    expect(loadConfig({}).maxItemsPerList).toBe(1000);
    expect(loadConfig({ MAX_ITEMS_PER_LIST: "50" }).maxItemsPerList).toBe(50);
    for (const bad of ["0", "-1", "2.5", "lots", "1000001"]) {
      expect(() => loadConfig({ MAX_ITEMS_PER_LIST: bad }), bad).toThrow(ConfigError);
    }
  });

  test("adding beyond it is a clear form error on the item input, 400, nothing stored", async () => {
    const client = testApp.client();
    const id = listIdFrom((await client.post("/lists/new", { text: "One" })).headers.get("Location"));
    for (const text of ["Two", "Three"]) expect((await client.post(`/lists/${id}/`, { text })).status).toBe(302);
    const response = await client.post(`/lists/${id}/`, { text: "Four" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(textFeedback(page)).toBe("A list can hold at most 3 items: delete some before adding more");
    expect(page).toContain('value="Four"');
    expect(await listItems(testApp.database.db, id)).toEqual(["One", "Two", "Three"]);
  });

  test("racing adds cannot pass it; deleting an item makes room again", async () => {
    const client = testApp.client();
    const id = listIdFrom((await client.post("/lists/new", { text: "Start" })).headers.get("Location"));
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.post(`/lists/${id}/`, { text: `Racer ${i}` })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([302, 302, 400, 400, 400, 400, 400, 400]);
    expect(await listItems(testApp.database.db, id)).toHaveLength(3);

    const [first] = await listItemRecords(testApp.database.db, id);
    expect((await client.post(`/lists/${id}/items/${first?.id}/delete`)).status).toBe(302);
    expect((await client.post(`/lists/${id}/`, { text: "Room again" })).status).toBe(302);
    expect((await client.post(`/lists/${id}/`, { text: "No more room" })).status).toBe(400);
  });

  test("a list holding more (older data) shows its first items and says so", async () => {
    const db = testApp.database.db;
    const id = await createList(db, null, "Item 1");
    await db
      .insertInto("items")
      .values([2, 3, 4, 5].map((n) => ({ list_id: id, text: `Item ${n}`, created_at: Date.now() })))
      .execute();
    // Counted as migration 003 counted the items of lists made before it.
    await db.updateTable("lists").set({ item_count: 5 }).where("id", "=", id).execute();
    const page = await (await testApp.client().get(`/lists/${id}/`)).text();
    expect(tableRows(page)).toEqual(["1: Item 1", "2: Item 2", "3: Item 3"]);
    expect(page).toContain("This list has more than 3 items: only the first 3 are shown.");
    const confirmation = await (await testApp.client().get(`/lists/${id}/delete`)).text();
    expect(htmlText(confirmation.replace(/<[^>]+>/g, ""))).toContain(
      "“Item 1” and its more than 3 items will be deleted",
    );
  });
});

describe("My Lists in pages", () => {
  test(`shows ${MY_LISTS_PAGE_SIZE} lists per section with a link to the next page`, async () => {
    const db = testApp.database.db;
    const email = "many@example.com";
    const client = await loggedInClient(testApp, email);
    const owned: string[] = [];
    for (let i = 0; i <= MY_LISTS_PAGE_SIZE; i++) owned.push(await createList(db, email, `Mine ${i}`));
    await loggedInClient(testApp, "friend@example.com");
    await shareList(db, await createList(db, "friend@example.com", "Theirs"), email);

    const first = await (await client.get(`/lists/users/${email}/`)).text();
    const [ownSection = "", sharedSection = ""] = first.split("Lists shared by other users");
    expect(ownSection.match(/<li><a href="\/lists\//g)).toHaveLength(MY_LISTS_PAGE_SIZE);
    expect(ownSection).toContain('<a href="?owned_page=2&amp;shared_page=1">Next page of your lists</a>');
    expect(sharedSection).toContain(">Theirs</a>");
    expect(sharedSection).not.toContain("Next page of lists shared with you");

    const second = await (await client.get(`/lists/users/${email}/?owned_page=2`)).text();
    const [ownSecond = "", sharedSecond = ""] = second.split("Lists shared by other users");
    // Each list on exactly one page.
    const linked = (section: string) =>
      [...section.matchAll(/<li><a href="\/lists\/([0-9a-f]{32})\/"/g)].map((m) => m[1]);
    expect(linked(ownSecond)).toHaveLength(1);
    expect([...linked(ownSection), ...linked(ownSecond)].sort()).toEqual([...owned].sort());
    expect(ownSecond).toContain("Previous page of your lists");
    expect(ownSecond).not.toContain("Next page of your lists");
    expect(sharedSecond).toContain(">Theirs</a>");
  });

  test.each(["0", "-1", "x", "1.5", "9999999"])("a bad page number (%s) is a 400 page", async (page) => {
    const client = await loggedInClient(testApp, "pager@example.com");
    expect((await client.get(`/lists/users/pager@example.com/?owned_page=${page}`)).status).toBe(400);
  });
});
