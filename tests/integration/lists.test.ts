import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DUPLICATE_ITEM_ERROR, EMPTY_ITEM_ERROR } from "../../src/lists/item-text.ts";
import { listItems } from "../../src/lists/list-store.ts";
import { listIdFrom, tableRows, textFeedback } from "../support/html.ts";
import { rowCounts } from "../support/row-counts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

async function newList(client: TestClient, text: string): Promise<string> {
  const response = await client.post("/lists/new", { text });
  expect(response.status).toBe(302);
  return listIdFrom(response.headers.get("Location"));
}

describe("home page", () => {
  test("offers the new-item form as the UI contract says", async () => {
    const response = await testApp.client().get("/");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/<title>[^<]*To-Do[^<]*<\/title>/);
    expect(page).toContain("Start a new To-Do list");
    expect(page).toMatch(/<input id="id_text" name="text" class="form-control form-control-lg"/);
    expect(page).toContain('placeholder="Enter a to-do item"');
    expect(page).toMatch(/<input id="id_text"[^>]*required>/);
  });
});

describe("creating a list and adding items", () => {
  test("the first item creates a list at its own URL, later items append in order", async () => {
    const client = testApp.client();
    const id = await newList(client, "Buy peacock feathers");
    expect((await client.post(`/lists/${id}/`, { text: "Use feathers to make a fly" })).status).toBe(302);
    const page = await (await client.get(`/lists/${id}/`)).text();
    expect(page).toContain("Your To-Do list");
    expect(tableRows(page)).toEqual(["1: Buy peacock feathers", "2: Use feathers to make a fly"]);
  });

  test("a list's address without its final slash redirects to it, query string kept", async () => {
    const client = testApp.client();
    const id = await newList(client, "Slashless");
    const response = await client.get(`/lists/${id}?from=bookmark`);
    expect(response.status).toBe(301);
    expect(response.headers.get("Location")).toBe(`/lists/${id}/?from=bookmark`);
    expect((await client.get(`/lists/${id}`)).headers.get("Location")).toBe(`/lists/${id}/`);
    // Not a list id: no redirect to a page that cannot exist.
    expect((await client.get("/lists/not-an-id")).status).toBe(404);
  });

  test("two visitors get two different lists", async () => {
    const first = await newList(testApp.client(), "Buy milk");
    const second = await newList(testApp.client(), "Buy bread");
    expect(first).not.toBe(second);
    const page = await (await testApp.client().get(`/lists/${second}/`)).text();
    expect(tableRows(page)).toEqual(["1: Buy bread"]);
  });

  test("a list whose items were all removed (in the database) still shows its empty page", async () => {
    const client = testApp.client();
    const id = await newList(client, "Soon gone");
    await testApp.database.db.deleteFrom("items").where("list_id", "=", id).execute();
    const response = await client.get(`/lists/${id}/`);
    expect(response.status).toBe(200);
    expect(tableRows(await response.text())).toEqual([]);
  });

  test("item text is escaped, never interpreted as HTML", async () => {
    const client = testApp.client();
    const id = await newList(client, "<script>alert('x')</script>");
    const page = await (await client.get(`/lists/${id}/`)).text();
    expect(page).not.toContain("<script>alert");
    expect(tableRows(page)).toEqual(["1: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"]);
  });
});

describe("validation", () => {
  test("an empty first item re-renders home with the error and stores nothing", async () => {
    const client = testApp.client();
    await client.get("/");
    const before = await rowCounts(testApp.database.db);
    const response = await client.post("/lists/new", { text: "   " });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Start a new To-Do list");
    expect(textFeedback(page)).toBe(EMPTY_ITEM_ERROR.replace("'", "&#39;"));
    expect(page).toContain("form-control form-control-lg is-invalid");
    expect(await rowCounts(testApp.database.db)).toEqual(before);
  });

  test("an empty item on a list is refused with the error", async () => {
    const client = testApp.client();
    const id = await newList(client, "Something");
    const response = await client.post(`/lists/${id}/`, { text: "" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(textFeedback(page)).toBe("You can&#39;t have an empty list item");
    expect(tableRows(page)).toEqual(["1: Something"]);
  });

  test("a duplicate item is refused and stored once", async () => {
    const client = testApp.client();
    const id = await newList(client, "Buy wellies");
    const response = await client.post(`/lists/${id}/`, { text: "Buy wellies" });
    expect(response.status).toBe(400);
    expect(textFeedback(await response.text())).toBe(DUPLICATE_ITEM_ERROR.replace("'", "&#39;"));
    expect(await listItems(testApp.database.db, id)).toEqual(["Buy wellies"]);
  });

  test("the same text is fine on another list", async () => {
    const client = testApp.client();
    await newList(client, "Same text");
    const other = await newList(client, "Other");
    expect((await client.post(`/lists/${other}/`, { text: "Same text" })).status).toBe(302);
    expect(await listItems(testApp.database.db, other)).toEqual(["Other", "Same text"]);
  });

  test("racing duplicates: exactly one is stored, the others are refused cleanly", async () => {
    const client = testApp.client();
    const id = await newList(client, "First");
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => client.post(`/lists/${id}/`, { text: "Twice" })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([302, ...Array(9).fill(400)]);
    for (const refused of responses.filter((response) => response.status === 400)) {
      expect(textFeedback(await refused.text())).toBe(DUPLICATE_ITEM_ERROR.replace("'", "&#39;"));
    }
    expect(await listItems(testApp.database.db, id)).toEqual(["First", "Twice"]);
  });

  test("over-long text is refused with a clear error and nothing stored", async () => {
    const client = testApp.client();
    const id = await newList(client, "Short");
    const response = await client.post(`/lists/${id}/`, { text: "x".repeat(1001) });
    expect(response.status).toBe(400);
    expect(textFeedback(await response.text())).toContain("at most 1000 characters");
    expect(await listItems(testApp.database.db, id)).toEqual(["Short"]);
  });
});

describe("bad requests get clear 4xx pages", () => {
  test.each([
    ["/lists/not-an-id/", 404],
    ["/lists/0123456789abcdef0123456789abcdef/", 404],
    ["/404_no_such_url/", 404],
  ])("GET %s → %i", async (path, status) => {
    const response = await testApp.client().get(path);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain("Superlists");
  });

  test("a body that is not a form is refused with 415", async () => {
    const client = testApp.client();
    await client.get("/");
    const response = await client.request("/lists/new", {
      method: "POST",
      body: JSON.stringify({ text: "x" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain("Please submit the form from the page (form data expected).");
  });

  test("a body over the limit is refused with 413", async () => {
    const response = await testApp.client().post("/lists/new", { text: "x".repeat(200_000) });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/The form is too large \(at most \d+ KB\)\./);
  });

  test("a repeated field is refused with 400", async () => {
    const client = testApp.client();
    await client.get("/");
    const token = client.cookies.get("csrftoken") ?? "";
    const response = await client.request("/lists/new", {
      method: "POST",
      body: `csrf_token=${token}&text=a&text=b`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("sent more than once");
  });
});

describe("static files", () => {
  test("Bootstrap and the client script are served with cache headers, compressed on request", async () => {
    const page = await (await testApp.client().get("/")).text();
    const cssUrl = page.match(/href="(\/static\/bootstrap\.min\.[0-9a-f]+\.css)"/)?.[1];
    const scriptUrl = page.match(/src="(\/static\/lists\.[0-9a-f]+\.js)"/)?.[1];
    expect(cssUrl).toBeDefined();
    expect(scriptUrl).toBeDefined();
    const css = await testApp.client().get(cssUrl ?? "", { "Accept-Encoding": "gzip, br" });
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toContain("text/css");
    expect(css.headers.get("Cache-Control")).toContain("immutable");
    expect(css.headers.get("Content-Encoding")).toBe("br");
    const script = await testApp.client().get(scriptUrl ?? "");
    expect(script.headers.get("Cache-Control")).toContain("immutable");
    expect(await script.text()).toContain("is-invalid");
    const plain = await testApp.client().get("/static/bootstrap.min.css");
    const etag = plain.headers.get("ETag") ?? "";
    expect(plain.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect((await testApp.client().get("/static/bootstrap.min.css", { "If-None-Match": etag })).status).toBe(304);
  });

  test("unknown and traversal paths under /static are 404", async () => {
    for (const path of ["/static/nope.css", "/static/..%2Fpackage.json", "/static/../package.json"]) {
      expect((await testApp.client().get(path)).status).toBe(404);
    }
  });
});
