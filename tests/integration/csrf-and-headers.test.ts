import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listItems } from "../../src/lists/list-store.ts";
import { CSRF_COOKIE, CSRF_FAILURE_MESSAGE, CSRF_FIELD } from "../../src/web/csrf.ts";
import { loggedInAs, loggedInClient } from "../support/accounts.ts";
import { forge } from "../support/forge.ts";
import { listIdFrom } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

let testApp: TestApp;
let ownerList: string;
let owner: TestClient;
beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_EMAILS_PER_IP_PER_HOUR: "1000" });
  owner = await loggedInClient(testApp, "owner@example.com");
  ownerList = listIdFrom((await owner.post("/lists/new", { text: "Existing item" })).headers.get("Location"));
});
afterAll(() => testApp.close());

/** Every form the app has, with what it would change if the request got through. */
const FORMS: { name: string; path: () => string; fields: Record<string, string> }[] = [
  { name: "new list", path: () => "/lists/new", fields: { text: "Forged list" } },
  { name: "add item", path: () => `/lists/${ownerList}/`, fields: { text: "Forged item" } },
  { name: "share", path: () => `/lists/${ownerList}/share`, fields: { sharee: "attacker@example.com" } },
  { name: "login email", path: () => "/accounts/send_login_email", fields: { email: "victim@example.com" } },
  { name: "logout", path: () => "/accounts/logout", fields: {} },
];

/** Everything the forms above could change. */
async function state() {
  const { db } = testApp.database;
  return {
    items: await listItems(db, ownerList),
    shares: await db.selectFrom("list_shares").selectAll().execute(),
    lists: await db.selectFrom("lists").select("id").orderBy("id").execute(),
    emailsSent: testApp.mailer.outbox.length,
    ownerLoggedIn: loggedInAs(await (await owner.get("/")).text()),
  };
}

describe.each(FORMS)("the $name form", ({ path, fields }) => {
  test.each([
    ["without a token", () => forge(owner, path(), fields, undefined)],
    ["with a wrong token", () => forge(owner, path(), fields, "A".repeat(43))],
    ["with an empty token", () => forge(owner, path(), fields, "")],
    [
      "with the right token but no CSRF cookie",
      () =>
        testApp.app.request(`http://testserver${path()}`, {
          method: "POST",
          body: new URLSearchParams({ [CSRF_FIELD]: owner.cookies.get(CSRF_COOKIE) ?? "", ...fields }),
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Cookie: `sessionid=${owner.cookies.get("sessionid")}`,
          },
        }),
    ],
    [
      "with the right token from another site (Origin)",
      () => forge(owner, path(), fields, owner.cookies.get(CSRF_COOKIE), { Origin: "https://evil.example" }),
    ],
    [
      "with the right token from an opaque origin",
      () => forge(owner, path(), fields, owner.cookies.get(CSRF_COOKIE), { Origin: "null" }),
    ],
    [
      "with the right token, sent cross-site (Sec-Fetch-Site)",
      () => forge(owner, path(), fields, owner.cookies.get(CSRF_COOKIE), { "Sec-Fetch-Site": "cross-site" }),
    ],
  ])("%s → 403, nothing done", async (_, send) => {
    if (!owner.cookies.has(CSRF_COOKIE)) await owner.get("/");
    const before = await state();
    expect(before.ownerLoggedIn).toBe("owner@example.com");
    const response = await send();
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(CSRF_FAILURE_MESSAGE);
    expect(await state()).toEqual(before);
  });
});

describe("genuine form posts", () => {
  test("with the page's token and the site's own Origin, every form works", async () => {
    const client = await loggedInClient(testApp, "genuine@example.com");
    const created = await client.post("/lists/new", { text: "Real list" });
    expect(created.status).toBe(302);
    const id = listIdFrom(created.headers.get("Location"));
    expect((await client.post(`/lists/${id}/`, { text: "Real item" })).status).toBe(302);
    expect(await listItems(testApp.database.db, id)).toEqual(["Real list", "Real item"]);
    expect((await client.post(`/lists/${id}/share`, { sharee: "friend@example.com" })).status).toBe(302);
    const shares = await testApp.database.db.selectFrom("list_shares").selectAll().where("list_id", "=", id).execute();
    expect(shares).toHaveLength(1);
    expect((await client.post("/accounts/send_login_email", { email: "genuine@example.com" })).status).toBe(302);
    expect(testApp.mailer.outbox.at(-1)?.to).toBe("genuine@example.com");
    expect((await client.post("/accounts/logout")).status).toBe(302);
    expect(loggedInAs(await (await client.get("/")).text())).toBeUndefined();
  });

  test.each([
    ["only Sec-Fetch-Site: same-origin", { "Sec-Fetch-Site": "same-origin" }],
    ["neither Origin nor Sec-Fetch-Site (an older browser)", {}],
  ])("a post with the token and no Origin, %s, succeeds", async (_, headers) => {
    const client = testApp.client();
    await client.get("/");
    const response = await client.request("/lists/new", {
      method: "POST",
      body: new URLSearchParams({ [CSRF_FIELD]: client.cookies.get(CSRF_COOKIE) ?? "", text: "No origin" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    });
    expect(response.status).toBe(302);
    const id = listIdFrom(response.headers.get("Location"));
    expect(await listItems(testApp.database.db, id)).toEqual(["No origin"]);
  });

  test("the token the page carries is the one its cookie holds", async () => {
    const client = testApp.client();
    const page = await (await client.get("/")).text();
    const field = page.match(/<input type="hidden" name="csrf_token" value="([^"]+)">/)?.[1];
    expect(field).toBe(client.cookies.get(CSRF_COOKIE));
    // One token per browser: it does not change on every page (forms in other tabs keep working).
    await client.get("/");
    expect(client.cookies.get(CSRF_COOKIE)).toBe(field);
  });

  test("the CSRF cookie is HttpOnly and SameSite=Lax", async () => {
    const response = await testApp.client().get("/");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${CSRF_COOKIE}=`)) ?? "";
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  });
});

describe("security headers", () => {
  const pages: [string, () => Promise<Response>][] = [
    ["the home page", () => testApp.client().get("/")],
    ["a list page", () => owner.get(`/lists/${ownerList}/`)],
    ["My Lists", () => owner.get("/lists/users/owner@example.com/")],
    ["a 404 page", () => testApp.client().get("/404_no_such_url/")],
    ["a refused form (403)", () => forge(owner, "/lists/new", { text: "x" }, "wrong")],
    ["a form error (400)", () => owner.post("/lists/new", { text: "" })],
    ["a redirect", () => owner.post(`/lists/${ownerList}/`, { text: `Another ${Date.now()}` })],
    ["a static file", () => testApp.client().get("/static/bootstrap.min.css")],
  ];

  test.each(pages)("are on %s", async (_, fetchPage) => {
    const response = await fetchPage();
    expect(response.status).toBeLessThan(500);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
  });

  test.each(pages.filter(([name]) => name !== "a static file" && name !== "a redirect"))(
    "%s works under that policy: no inline script or style",
    async (_, fetchPage) => {
      const page = await (await fetchPage()).text();
      expect(page).toContain("<html");
      expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(page).not.toMatch(/<style[\s>]/);
      expect(page).not.toMatch(/\sstyle="/);
      expect(page).not.toMatch(/\son[a-z]+="/);
    },
  );
});
