import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { CHECK_EMAIL_MESSAGE, INVALID_LINK_MESSAGE } from "../../src/accounts/account-routes.ts";
import { LOGIN_EMAIL_SUBJECT } from "../../src/accounts/login-email.ts";
import { INVALID_EMAIL_ERROR } from "../../src/email/email-address.ts";
import { htmlText, loggedInAs, loginLinkIn } from "../support/accounts.ts";
import { flashAlert } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

// In-process requests all come from the same unknown IP: lift the limits here
// (rate-limit.test.ts tests them).
const ENV = { LOGIN_EMAILS_PER_IP_PER_HOUR: "1000", LOGIN_EMAIL_COOLDOWN_SECONDS: "0" };

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp(ENV);
});
afterAll(() => testApp.close());
afterEach(() => {
  vi.useRealTimers();
});

let counter = 0;
const freshEmail = () => `edith${++counter}@example.com`;

/** Asks for a login email the way the navbar form does; returns the page the user lands on. */
async function requestLoginEmail(client: TestClient, email: string): Promise<string> {
  const response = await client.post("/accounts/send_login_email", { email });
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/");
  return (await client.get("/")).text();
}

function lastEmail(app: TestApp = testApp) {
  const message = app.mailer.outbox.at(-1);
  if (!message) throw new Error("no email was sent");
  return message;
}

/** Follows a link from an email; returns the page the user lands on. */
async function follow(client: TestClient, link: string): Promise<string> {
  const response = await client.get(link);
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/");
  return (await client.get("/")).text();
}

function flash(page: string) {
  const alert = flashAlert(page);
  return (
    alert && {
      level: alert.level,
      text: htmlText(alert.text),
      ...(alert.detail === undefined ? {} : { detail: htmlText(alert.detail) }),
    }
  );
}

describe("asking for a login link", () => {
  test("emails a one-time link and tells the user to check their email", async () => {
    const client = testApp.client();
    const page = await requestLoginEmail(client, "  Edith@Example.com ");
    // The SPEC's sentence, word for word, then the address as it was sent to.
    expect(flash(page)).toEqual({
      level: "success",
      text: CHECK_EMAIL_MESSAGE,
      detail: "We sent it to edith@example.com.",
    });
    const message = lastEmail();
    expect(message.to).toBe("edith@example.com");
    expect(message.from).toBe("noreply@superlists");
    expect(message.subject).toBe(LOGIN_EMAIL_SUBJECT);
    expect(message.subject).toBe("Your login link for Superlists");
    expect(message.text.split("\n")).toContain("Use this link to log in:");
    // It says how long the link lasts (LOGIN_TOKEN_MAX_AGE_MINUTES, 15 by default).
    expect(message.text).toContain("within 15 minutes");
    expect(loginLinkIn(message.text)).toMatch(/^http:\/\/testserver\/accounts\/login\?token=[A-Za-z0-9_-]{22,}$/);
    expect(message.text.trimEnd()).toBe(message.text);
  });

  test("the flash names the address as text: the characters an address may have that HTML gives meaning to are escaped", async () => {
    const client = testApp.client();
    const page = await requestLoginEmail(client, "O'Neil&Co@Example.com");
    expect(lastEmail().to).toBe("o'neil&co@example.com");
    expect(flashAlert(page)?.detail).toBe("We sent it to o&#39;neil&amp;co@example.com.");
    expect(flash(page)?.detail).toBe("We sent it to o'neil&co@example.com.");
  });

  test("the flash is shown once, not on every later page", async () => {
    const client = testApp.client();
    await requestLoginEmail(client, freshEmail());
    expect(flashAlert(await (await client.get("/")).text())).toBeUndefined();
  });

  test("an invalid address gets a clear warning and no email", async () => {
    const sent = testApp.mailer.outbox.length;
    const page = await requestLoginEmail(testApp.client(), "not an address");
    expect(flash(page)).toEqual({ level: "warning", text: INVALID_EMAIL_ERROR });
    expect(testApp.mailer.outbox).toHaveLength(sent);
    // What was typed is back in the login form, to be corrected rather than typed again.
    expect(page).toMatch(/id="id_email_input"[^>]* value="not an address"/);
  });

  test("answers the same whether or not the address has an account (no user enumeration)", async () => {
    const known = freshEmail();
    const knownUser = testApp.client();
    await requestLoginEmail(knownUser, known);
    await follow(knownUser, loginLinkIn(lastEmail().text));
    const answer = async (email: string) => {
      const client = testApp.client();
      await client.get("/");
      const response = await client.post("/accounts/send_login_email", { email });
      const page = flash(await (await client.get("/")).text());
      return {
        status: response.status,
        location: response.headers.get("Location"),
        // The browser's login cookie holds a random value, the flash cookie the address
        // (signed; what it shows is compared below): compare everything else.
        cookies: response.headers
          .getSetCookie()
          .map((cookie) =>
            cookie.replace(/^login_browser=[^;]+/, "login_browser=…").replace(/^flash=[^;]+/, "flash=…"),
          ),
        page: page && { ...page, detail: page.detail?.replace(email, "EMAIL") },
        emailedTo: lastEmail().to,
      };
    };
    const unknown = freshEmail();
    expect(await answer(known)).toEqual({ ...(await answer(unknown)), emailedTo: known });
  });

  test("the link uses the scheme and host the browser used, port included", async () => {
    const client = testApp.client();
    await client.get("http://superlists.example:8123/");
    await client.post(
      "http://superlists.example:8123/accounts/send_login_email",
      { email: freshEmail() },
      { Origin: "http://superlists.example:8123" },
    );
    expect(loginLinkIn(lastEmail().text)).toMatch(/^http:\/\/superlists\.example:8123\/accounts\/login\?token=/);
  });

  test("the sender is EMAIL_FROM", async () => {
    const app = await createTestApp({ ...ENV, EMAIL_FROM: "Superlists <robot@superlists.example>" });
    try {
      await requestLoginEmail(app.client(), freshEmail());
      expect(lastEmail(app).from).toBe("Superlists <robot@superlists.example>");
    } finally {
      await app.close();
    }
  });
});

describe("the link, on a real HTTP server", () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: testApp.app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(started));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; setCookies: string[] }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, setCookies: res.headers["set-cookie"] ?? [] }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  test("is built from the Host header, port included", async () => {
    const host = "lists.example.org:8443";
    const first = await send("GET", "/", { Host: host });
    const csrf = first.setCookies.find((cookie) => cookie.startsWith("csrftoken="))?.split(";")[0] ?? "";
    const response = await send(
      "POST",
      "/accounts/send_login_email",
      { Host: host, Cookie: csrf, "Content-Type": "application/x-www-form-urlencoded", Origin: `http://${host}` },
      new URLSearchParams({ csrf_token: csrf.slice("csrftoken=".length), email: freshEmail() }).toString(),
    );
    expect(response.status).toBe(302);
    expect(loginLinkIn(lastEmail().text)).toMatch(/^http:\/\/lists\.example\.org:8443\/accounts\/login\?token=/);
  });
});

describe("behind a TLS-terminating proxy", () => {
  test("with TRUST_PROXY=1, X-Forwarded-Proto: https makes an https link", async () => {
    const app = await createTestApp({ ...ENV, TRUST_PROXY: "1" });
    try {
      const client = app.client();
      const https = { "X-Forwarded-Proto": "https", Origin: "https://testserver" };
      await client.get("/", https);
      expect((await client.post("/accounts/send_login_email", { email: freshEmail() }, https)).status).toBe(302);
      expect(loginLinkIn(lastEmail(app).text)).toMatch(/^https:\/\/testserver\/accounts\/login\?token=/);
    } finally {
      await app.close();
    }
  });

  test("without TRUST_PROXY, a forged X-Forwarded-Proto is ignored", async () => {
    const client = testApp.client();
    const email = freshEmail();
    const response = await client.post("/accounts/send_login_email", { email }, { "X-Forwarded-Proto": "https" });
    expect(response.status).toBe(302);
    expect(lastEmail().to).toBe(email);
    expect(loginLinkIn(lastEmail().text)).toMatch(/^http:\/\/testserver\//);
  });
});

describe("following the link", () => {
  test("logs the user in, creating the account on first login", async () => {
    const email = freshEmail();
    const users = () => testApp.database.db.selectFrom("users").select("email").where("email", "=", email).execute();
    const client = testApp.client();
    await requestLoginEmail(client, email);
    expect(await users()).toHaveLength(0);
    const page = await follow(client, loginLinkIn(lastEmail().text));
    expect(loggedInAs(page)).toBe(email);
    expect(page).toContain(`href="/lists/users/${encodeURIComponent(email)}/">My lists</a>`);
    expect(page).toMatch(/<button id="id_logout"/);
    expect(page).not.toContain('id="id_email_input"');
    expect(await users()).toEqual([{ email }]);

    // A second login (another device) reuses the account.
    const laptop = testApp.client();
    await requestLoginEmail(laptop, email);
    expect(loggedInAs(await follow(laptop, loginLinkIn(lastEmail().text)))).toBe(email);
    expect(await users()).toHaveLength(1);
  });

  test("works only once: a replayed link is refused", async () => {
    const client = testApp.client();
    await requestLoginEmail(client, freshEmail());
    const link = loginLinkIn(lastEmail().text);
    await follow(client, link);
    const attacker = testApp.client();
    const page = await follow(attacker, link);
    expect(loggedInAs(page)).toBeUndefined();
    expect(flash(page)).toEqual({ level: "warning", text: INVALID_LINK_MESSAGE });
  });

  test.each([
    ["/accounts/login"],
    ["/accounts/login?token="],
    ["/accounts/login?token=nonsense"],
    [`/accounts/login?token=${"A".repeat(43)}`],
    [`/accounts/login?token=${"x".repeat(5000)}`],
    ["/accounts/login?token=%00%ff%fe"],
    ["/accounts/login?token=a&token=b"],
  ])("a bad link %s is refused politely, never a 500", async (link) => {
    const client = testApp.client();
    const page = await follow(client, link);
    expect(loggedInAs(page)).toBeUndefined();
    expect(flash(page)).toEqual({ level: "warning", text: INVALID_LINK_MESSAGE });
  });

  test("expires 15 minutes after it was sent by default", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const [early, late] = [testApp.client(), testApp.client()];
    const earlyEmail = freshEmail();
    await requestLoginEmail(early, earlyEmail);
    const earlyLink = loginLinkIn(lastEmail().text);
    await requestLoginEmail(late, freshEmail());
    const lateLink = loginLinkIn(lastEmail().text);
    vi.setSystemTime(Date.now() + 14 * 60_000);
    expect(loggedInAs(await follow(early, earlyLink))).toBe(earlyEmail);
    vi.setSystemTime(Date.now() + 2 * 60_000);
    const page = await follow(late, lateLink);
    expect(loggedInAs(page)).toBeUndefined();
    expect(flash(page)).toEqual({ level: "warning", text: INVALID_LINK_MESSAGE });
  });

  test("expires after LOGIN_TOKEN_MAX_AGE_MINUTES when set", async () => {
    const app = await createTestApp({ ...ENV, LOGIN_TOKEN_MAX_AGE_MINUTES: "2" });
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      // Two people, each following their link in the browser that asked for it.
      const [early, late] = [freshEmail(), freshEmail()];
      const [earlyBrowser, lateBrowser] = [app.client(), app.client()];
      await requestLoginEmail(earlyBrowser, early);
      const earlyLink = loginLinkIn(lastEmail(app).text);
      await requestLoginEmail(lateBrowser, late);
      const lateLink = loginLinkIn(lastEmail(app).text);
      expect(lastEmail(app).text).toContain("within 2 minutes");
      vi.setSystemTime(Date.now() + 60_000);
      expect(loggedInAs(await follow(earlyBrowser, earlyLink))).toBe(early);
      vi.setSystemTime(Date.now() + 2 * 60_000);
      const page = await follow(lateBrowser, lateLink);
      expect(loggedInAs(page)).toBeUndefined();
      expect(flash(page)).toEqual({ level: "warning", text: INVALID_LINK_MESSAGE });
    } finally {
      await app.close();
    }
  });
});

describe("logging out", () => {
  test("logs the user out, and the old session cookie no longer works", async () => {
    const email = freshEmail();
    const client = testApp.client();
    await requestLoginEmail(client, email);
    await follow(client, loginLinkIn(lastEmail().text));
    const stolenCookie = client.cookies.get(testApp.config.sessionCookieName) ?? "";
    expect(stolenCookie).not.toBe("");

    const response = await client.post("/accounts/logout");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    const page = await (await client.get("/")).text();
    expect(loggedInAs(page)).toBeUndefined();
    expect(page).toContain('id="id_email_input"');

    const replay = testApp.client();
    replay.useSession(stolenCookie);
    expect(loggedInAs(await (await replay.get("/")).text())).toBeUndefined();
  });

  test("when not logged in is harmless", async () => {
    const client = testApp.client();
    const response = await client.post("/accounts/logout");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(await (await client.get("/")).text()).toContain('id="id_email_input"');
  });
});
