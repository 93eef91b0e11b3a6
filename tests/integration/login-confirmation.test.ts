// Login links opened by mail scanners, link previews and other devices; where the user
// lands after logging in; what logging in does to the browser's other state.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { INVALID_LINK_MESSAGE, LOGGED_OUT_MESSAGE } from "../../src/accounts/account-routes.ts";
import { ANONYMOUS_LISTS_COOKIE } from "../../src/accounts/anonymous-lists.ts";
import { CSRF_COOKIE } from "../../src/web/csrf.ts";
import { htmlText, loggedInAs, loginLinkIn } from "../support/accounts.ts";
import { flashAlert, listIdFrom } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

// In-process requests all come from one IP: rate-limit.test.ts tests the limits.
const ENV = { LOGIN_EMAILS_PER_IP_PER_HOUR: "1000", LOGIN_EMAIL_COOLDOWN_SECONDS: "0" };

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp(ENV);
});
afterAll(() => testApp.close());

let counter = 0;
const freshEmail = () => `francis${++counter}@example.com`;

/** Asks for a login link from `client` (with the navbar's `next` field if given); returns the link. */
async function requestLink(client: TestClient, email: string, next?: string): Promise<string> {
  const response = await client.post("/accounts/send_login_email", next === undefined ? { email } : { email, next });
  expect(response.status).toBe(302);
  const message = testApp.mailer.outbox.at(-1);
  expect(message?.to).toBe(email);
  return loginLinkIn(message?.text ?? "");
}

async function whoIsLoggedIn(client: TestClient): Promise<string | undefined> {
  return loggedInAs(await (await client.get("/")).text());
}

function flashText(page: string): string | undefined {
  const alert = flashAlert(page);
  return alert && htmlText(alert.text);
}

/** The confirmation form's hidden token, as the page carries it. */
function confirmationToken(page: string): string {
  return page.match(/<input type="hidden" name="token" value="([^"]*)">/)?.[1] ?? "";
}

describe("opened in the browser that asked for it", () => {
  test("logs in at once, with a response no cache keeps", async () => {
    const email = freshEmail();
    const browser = testApp.client();
    const response = await browser.get(await requestLink(browser, email));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await whoIsLoggedIn(browser)).toBe(email);
  });
});

describe("opened anywhere else (another device, a mail scanner, a link preview)", () => {
  test("asks first: a no-store page naming the address, with a button that POSTs; no session, token kept", async () => {
    const email = freshEmail();
    const link = await requestLink(testApp.client(), email);
    const phone = testApp.client();
    for (let visit = 0; visit < 2; visit++) {
      const response = await phone.get(link);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(response.headers.getSetCookie().join("\n")).not.toContain(`${testApp.config.sessionCookieName}=`);
      const page = await response.text();
      expect(htmlText(page)).toContain(`Log in to Superlists as <strong class="text-break">${email}</strong>?`);
      expect(page).toMatch(/<form method="POST" action="\/accounts\/login"/);
      expect(page).toContain('name="csrf_token"');
      expect(confirmationToken(page)).toBe(new URL(link).searchParams.get("token"));
    }
    expect(await whoIsLoggedIn(phone)).toBeUndefined();

    const confirmed = await phone.post("/accounts/login", {
      token: confirmationToken(await (await phone.get(link)).text()),
    });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/");
    expect(confirmed.headers.get("Cache-Control")).toBe("no-store");
    expect(await whoIsLoggedIn(phone)).toBe(email);
  });

  test("a scanner opening the link first neither uses it up nor gets a session", async () => {
    const email = freshEmail();
    const browser = testApp.client();
    const link = await requestLink(browser, email);
    const scanner = testApp.client();
    expect((await scanner.get(link)).status).toBe(200);
    expect((await scanner.request(link, { method: "HEAD" })).status).toBe(200);
    expect(await whoIsLoggedIn(scanner)).toBeUndefined();

    expect((await browser.get(link)).status).toBe(302);
    expect(await whoIsLoggedIn(browser)).toBe(email);
    expect(await whoIsLoggedIn(scanner)).toBeUndefined();
  });

  test("HEAD never uses the link or sets a session, even from the browser that asked for it", async () => {
    const email = freshEmail();
    const browser = testApp.client();
    const link = await requestLink(browser, email);
    const head = await browser.request(link, { method: "HEAD" });
    expect(head.headers.getSetCookie().join("\n")).not.toContain(`${testApp.config.sessionCookieName}=`);
    expect(head.headers.get("Cache-Control")).toBe("no-store");
    expect(await whoIsLoggedIn(browser)).toBeUndefined();
    expect((await browser.get(link)).status).toBe(302);
    expect(await whoIsLoggedIn(browser)).toBe(email);
  });

  test("the button works once; the page of a used link says it is invalid", async () => {
    const link = await requestLink(testApp.client(), freshEmail());
    const phone = testApp.client();
    const token = confirmationToken(await (await phone.get(link)).text());
    expect((await phone.post("/accounts/login", { token })).status).toBe(302);

    const other = testApp.client();
    expect((await other.post("/accounts/login", { token })).status).toBe(302);
    expect(flashText(await (await other.get("/")).text())).toBe(INVALID_LINK_MESSAGE);
    expect(await whoIsLoggedIn(other)).toBeUndefined();
    const reopened = await other.get(link);
    expect(reopened.headers.get("Location")).toBe("/");
    expect(flashText(await (await other.get("/")).text())).toBe(INVALID_LINK_MESSAGE);
  });

  test.each([
    ["nonsense", "nonsense"],
    ["empty", ""],
    ["5,000 characters", "x".repeat(5000)],
  ])("the button with a bad token (%s) is refused politely", async (_, token) => {
    const client = testApp.client();
    const response = await client.post("/accounts/login", { token });
    expect(response.status).toBe(302);
    expect(flashText(await (await client.get("/")).text())).toBe(INVALID_LINK_MESSAGE);
  });

  test("the button needs the CSRF token: a cross-site form cannot log anyone in", async () => {
    const link = await requestLink(testApp.client(), freshEmail());
    const victim = testApp.client();
    const token = new URL(link).searchParams.get("token") ?? "";
    const forged = await victim.request("/accounts/login", {
      method: "POST",
      body: new URLSearchParams({ token }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://evil.example" },
    });
    expect(forged.status).toBe(403);
    expect(await whoIsLoggedIn(victim)).toBeUndefined();
  });
});

describe("after logging in, the user is back where they asked for the link", () => {
  test("the navbar's login form carries the page's path", async () => {
    const created = await testApp.client().post("/lists/new", { text: "Buy peacock feathers" });
    const listPath = created.headers.get("Location") ?? "";
    const page = await (await testApp.client().get(listPath)).text();
    expect(page).toContain(`<input type="hidden" name="next" value="${listPath}">`);
  });

  test("in the same browser, and through the confirmation page", async () => {
    const browser = testApp.client();
    const same = await browser.get(await requestLink(browser, freshEmail(), "/lists/users/someone/"));
    expect(same.headers.get("Location")).toBe("/lists/users/someone/");

    const link = await requestLink(testApp.client(), freshEmail(), "/lists/0123456789abcdef0123456789abcdef/");
    const phone = testApp.client();
    const token = confirmationToken(await (await phone.get(link)).text());
    const confirmed = await phone.post("/accounts/login", { token });
    expect(confirmed.headers.get("Location")).toBe("/lists/0123456789abcdef0123456789abcdef/");
  });

  test.each([
    ["//evil.example/"],
    ["/\\evil.example/"],
    ["https://evil.example/"],
    ["javascript:alert(1)"],
    ["/\t/evil.example/"],
    ["/lists//evil"],
    ["evil.example"],
    ["/caf\u00e9/"],
    ["/accounts/login"],
  ])("only to a local path: %j goes home instead", async (next) => {
    const browser = testApp.client();
    const response = await browser.get(await requestLink(browser, freshEmail(), next));
    expect(response.headers.get("Location")).toBe("/");
  });

  test("a path longer than 2,048 characters goes home instead", async () => {
    const browser = testApp.client();
    const response = await browser.get(await requestLink(browser, freshEmail(), `/${"a".repeat(2048)}`));
    expect(response.headers.get("Location")).toBe("/");
  });
});

describe("lists made anonymously in this browser", () => {
  test("become the user's own at login and appear in My Lists; others' ownerless lists do not", async () => {
    const email = freshEmail();
    const browser = testApp.client();
    const mine = [];
    for (const text of ["Buy milk", "Call mum"]) {
      mine.push(listIdFrom((await browser.post("/lists/new", { text })).headers.get("Location")));
    }
    const elsewhere = listIdFrom(
      (await testApp.client().post("/lists/new", { text: "Not mine" })).headers.get("Location"),
    );

    await browser.get(await requestLink(browser, email));
    const owners = await testApp.database.db
      .selectFrom("lists")
      .select(["id", "owner_email"])
      .where("id", "in", [...mine, elsewhere])
      .execute();
    expect(Object.fromEntries(owners.map((row) => [row.id, row.owner_email]))).toEqual({
      [mine[0] ?? ""]: email,
      [mine[1] ?? ""]: email,
      [elsewhere]: null,
    });
    const myLists = htmlText(await (await browser.get(`/lists/users/${encodeURIComponent(email)}/`)).text());
    expect(myLists).toContain("Buy milk");
    expect(myLists).toContain("Call mum");
    expect(browser.cookies.has(ANONYMOUS_LISTS_COOKIE)).toBe(false);
  });

  test("are not handed to whoever's link is confirmed here: an attacker's own link, opened and confirmed by the victim", async () => {
    const attacker = freshEmail();
    const link = await requestLink(testApp.client(), attacker);
    const victim = testApp.client();
    const listId = listIdFrom((await victim.post("/lists/new", { text: "My secret plans" })).headers.get("Location"));

    const token = confirmationToken(await (await victim.get(link)).text());
    expect((await victim.post("/accounts/login", { token })).status).toBe(302);
    expect(await whoIsLoggedIn(victim)).toBe(attacker);
    const owner = () =>
      testApp.database.db.selectFrom("lists").select("owner_email").where("id", "=", listId).executeTakeFirst();
    expect((await owner())?.owner_email).toBeNull();
    expect(htmlText(await (await victim.get(`/lists/users/${encodeURIComponent(attacker)}/`)).text())).not.toContain(
      "My secret plans",
    );

    // The browser still remembers them: they become the victim's when the victim logs in here.
    await victim.post("/accounts/logout");
    const self = freshEmail();
    await victim.get(await requestLink(victim, self));
    expect(await whoIsLoggedIn(victim)).toBe(self);
    expect((await owner())?.owner_email).toBe(self);
  });

  test("a list already owned stays with its owner, and a forged cookie adopts nothing", async () => {
    const browser = testApp.client();
    const listId = listIdFrom((await browser.post("/lists/new", { text: "Contested" })).headers.get("Location"));
    const signed = browser.cookies.get(ANONYMOUS_LISTS_COOKIE) ?? "";
    expect(signed).toContain(listId);

    // Someone else logs in from this browser first and adopts it.
    const first = freshEmail();
    await browser.get(await requestLink(browser, first));
    await browser.post("/accounts/logout");
    browser.cookies.set(ANONYMOUS_LISTS_COOKIE, signed);
    await browser.get(await requestLink(browser, freshEmail()));
    const owner = await testApp.database.db
      .selectFrom("lists")
      .select("owner_email")
      .where("id", "=", listId)
      .executeTakeFirst();
    expect(owner?.owner_email).toBe(first);

    // A cookie naming an ownerless list this browser did not create, with a made-up signature.
    const stranger = testApp.client();
    const other = listIdFrom(
      (await testApp.client().post("/lists/new", { text: "Someone's" })).headers.get("Location"),
    );
    stranger.cookies.set(ANONYMOUS_LISTS_COOKIE, `${other}.${"A".repeat(43)}`);
    await stranger.get(await requestLink(stranger, freshEmail()));
    const untouched = await testApp.database.db
      .selectFrom("lists")
      .select("owner_email")
      .where("id", "=", other)
      .executeTakeFirst();
    expect(untouched?.owner_email).toBeNull();
  });
});

describe("logging in and out cleans up", () => {
  test("the CSRF token changes at login", async () => {
    const browser = testApp.client();
    const link = await requestLink(browser, freshEmail());
    const before = browser.cookies.get(CSRF_COOKIE);
    await browser.get(link);
    expect(browser.cookies.get(CSRF_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookies.get(CSRF_COOKIE)).not.toBe(before);
    // And the new one works.
    expect((await browser.post("/accounts/logout")).status).toBe(302);
  });

  test("logging out says so on the next page, and the user is logged out", async () => {
    const browser = testApp.client();
    const email = freshEmail();
    await browser.get(await requestLink(browser, email));
    expect(await whoIsLoggedIn(browser)).toBe(email);
    expect((await browser.post("/accounts/logout")).headers.get("Location")).toBe("/");
    const home = await (await browser.get("/")).text();
    expect(flashAlert(home)).toEqual({ level: "success", text: LOGGED_OUT_MESSAGE });
    expect(await whoIsLoggedIn(browser)).toBeUndefined();
  });

  test("logging in as someone else ends the browser's previous session", async () => {
    const browser = testApp.client();
    await browser.get(await requestLink(browser, freshEmail()));
    const oldKey = browser.cookies.get(testApp.config.sessionCookieName) ?? "";
    const second = freshEmail();
    await browser.get(await requestLink(browser, second));
    expect(await whoIsLoggedIn(browser)).toBe(second);

    const copy = testApp.client();
    copy.useSession(oldKey);
    expect(await whoIsLoggedIn(copy)).toBeUndefined();
  });

  test("an older unused link stops working once a newer one is used", async () => {
    const email = freshEmail();
    const browser = testApp.client();
    const older = await requestLink(browser, email);
    const newer = await requestLink(browser, email);
    await browser.get(newer);
    const other = testApp.client();
    await other.get(older);
    expect(flashText(await (await other.get("/")).text())).toBe(INVALID_LINK_MESSAGE);
  });

  test("an unused link stops working at logout", async () => {
    const email = freshEmail();
    const browser = testApp.client();
    const used = await requestLink(browser, email);
    await browser.get(used);
    const spare = await requestLink(testApp.client(), email);
    await browser.post("/accounts/logout");
    await browser.get(spare);
    const page = await (await browser.get("/")).text();
    expect(flashText(page)).toBe(INVALID_LINK_MESSAGE);
    expect(loggedInAs(page)).toBeUndefined();
  });
});
