// Without JavaScript, a form the server refuses comes back (400) with what the user
// typed still in its field, marked invalid, with the error beside it: the home page's
// and list page's item forms, the share and rename forms, and the edit page.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LONG_ITEM_ERROR } from "../../src/lists/item-text.ts";
import { LONG_NAME_ERROR } from "../../src/lists/list-name.ts";
import { listItemRecords } from "../../src/lists/list-store.ts";
import { htmlText, loggedInClient } from "../support/accounts.ts";
import { listIdFrom } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

let testApp: TestApp;
let owner: TestClient;
let listId: string;

beforeAll(async () => {
  testApp = await createTestApp();
  owner = await loggedInClient(testApp, "owner@example.com");
  listId = listIdFrom((await owner.post("/lists/new", { text: "Buy milk" })).headers.get("Location"));
});
afterAll(() => testApp.close());

const LONG = `${"a".repeat(1000)} & <b>more</b>`;

/**
 * The input (or textarea) named `name`: its value (unescaped), whether it is marked
 * invalid, and the error it points to.
 */
function field(page: string, name: string): { value: string; invalid: boolean; error: string | undefined } {
  const textarea = page.match(new RegExp(`(<textarea[^>]*\\sname="${name}"[^>]*>)([^<]*)</textarea>`));
  const tag = textarea?.[1] ?? page.match(new RegExp(`<input[^>]*\\sname="${name}"[^>]*>`))?.[0] ?? "";
  const describedBy = tag.match(/aria-describedby="([^"]+)"/)?.[1];
  const error = describedBy
    ? page.match(new RegExp(`<div id="${describedBy}" class="invalid-feedback">([^<]*)</div>`))?.[1]
    : undefined;
  return {
    value: htmlText(textarea?.[2] ?? tag.match(/\svalue="([^"]*)"/)?.[1] ?? ""),
    invalid: /class="[^"]*\bis-invalid\b/.test(tag) && tag.includes('aria-invalid="true"'),
    error: error === undefined ? undefined : htmlText(error),
  };
}

async function refused(response: Response): Promise<string> {
  expect(response.status).toBe(400);
  return response.text();
}

describe("typed text is kept when the server refuses it", () => {
  test("home page: an over-long first item", async () => {
    const page = await refused(await testApp.client().post("/lists/new", { text: LONG }));
    expect(field(page, "text")).toEqual({ value: LONG, invalid: true, error: LONG_ITEM_ERROR });
  });

  test("list page: an over-long item and a duplicate", async () => {
    let page = await refused(await owner.post(`/lists/${listId}/`, { text: LONG }));
    expect(field(page, "text")).toEqual({ value: LONG, invalid: true, error: LONG_ITEM_ERROR });
    page = await refused(await owner.post(`/lists/${listId}/`, { text: "Buy milk" }));
    expect(field(page, "text")).toEqual({
      value: "Buy milk",
      invalid: true,
      error: "You've already got this in your list",
    });
  });

  test("list page: a refused share address", async () => {
    const page = await refused(await owner.post(`/lists/${listId}/share`, { sharee: "not an address" }));
    expect(field(page, "sharee")).toMatchObject({ value: "not an address", invalid: true });
    expect(field(page, "sharee").error).toBeTruthy();
  });

  test("list page: a refused list name", async () => {
    const page = await refused(await owner.post(`/lists/${listId}/rename`, { name: LONG }));
    expect(field(page, "name")).toEqual({ value: LONG, invalid: true, error: LONG_NAME_ERROR });
  });

  test("edit page: an over-long text and a duplicate", async () => {
    const [milk] = await listItemRecords(testApp.database.db, listId);
    await owner.post(`/lists/${listId}/`, { text: "Buy eggs" });
    let page = await refused(await owner.post(`/lists/${listId}/items/${milk?.id}/edit`, { text: LONG }));
    expect(field(page, "text")).toEqual({ value: LONG, invalid: true, error: LONG_ITEM_ERROR });
    page = await refused(await owner.post(`/lists/${listId}/items/${milk?.id}/edit`, { text: "Buy eggs" }));
    expect(field(page, "text")).toMatchObject({ value: "Buy eggs", invalid: true });
  });
});
