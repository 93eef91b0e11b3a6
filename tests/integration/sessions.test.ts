import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { createSession } from "../../src/accounts/sessions.ts";
import { createApp } from "../../src/app.ts";
import { memoryMailer } from "../../src/email/mailers.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { loggedInAs, loginLinkIn } from "../support/accounts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { TestClient } from "../support/test-client.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());
afterEach(() => {
  vi.useRealTimers();
});

type SetCookie = { name: string; value: string; attributes: Map<string, string> };

function parseSetCookie(line: string): SetCookie {
  const [pair = "", ...rest] = line.split(";");
  const separator = pair.indexOf("=");
  const attributes = new Map(
    rest.map((attribute) => {
      const [key = "", value = ""] = attribute.trim().split("=");
      return [key.toLowerCase(), value] as const;
    }),
  );
  return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(), attributes };
}

/** Logs in through the real link; returns the login response's cookies and the client. */
async function logInByEmail(app: TestApp, email: string, headers: Record<string, string> = {}) {
  const client = app.client();
  await client.get("/", headers);
  const sent = await client.post("/accounts/send_login_email", { email }, headers);
  expect(sent.status).toBe(302);
  const link = loginLinkIn(app.mailer.outbox.at(-1)?.text ?? "");
  const response = await client.get(link, headers);
  expect(response.status).toBe(302);
  return { client, cookies: response.headers.getSetCookie().map(parseSetCookie) };
}

async function whoIsLoggedIn(client: TestClient): Promise<string | undefined> {
  return loggedInAs(await (await client.get("/")).text());
}

describe("the session cookie", () => {
  test("holds only an opaque random key; the database keeps its hash", async () => {
    const email = "opaque@example.com";
    const { cookies } = await logInByEmail(testApp, email);
    const session = cookies.find((cookie) => cookie.name === "sessionid");
    expect(session).toBeDefined();
    const key = session?.value ?? "";
    expect(key).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(key).not.toContain("opaque");
    const rows = await testApp.database.db.selectFrom("sessions").selectAll().where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(key);
  });

  test("is HttpOnly, SameSite=Lax, for the whole site, and lasts SESSION_MAX_AGE_DAYS (14 by default)", async () => {
    const { cookies } = await logInByEmail(testApp, "attributes@example.com");
    const session = cookies.find((cookie) => cookie.name === "sessionid");
    expect(session?.attributes.has("httponly")).toBe(true);
    expect(session?.attributes.get("samesite")).toBe("Lax");
    expect(session?.attributes.get("path")).toBe("/");
    expect(session?.attributes.get("max-age")).toBe(String(14 * 86400));
    // Plain http: a Secure cookie would never come back.
    expect(session?.attributes.has("secure")).toBe(false);
  });

  test("takes its name from SESSION_COOKIE_NAME", async () => {
    const app = await createTestApp({ SESSION_COOKIE_NAME: "superlists_session" });
    try {
      const { client, cookies } = await logInByEmail(app, "named@example.com");
      expect(cookies.map((cookie) => cookie.name)).toContain("superlists_session");
      expect(cookies.map((cookie) => cookie.name)).not.toContain("sessionid");
      expect(await whoIsLoggedIn(client)).toBe("named@example.com");

      // The same key under the default name means nothing to this server.
      const key = client.cookies.get("superlists_session") ?? "";
      const wrongName = new TestClient(app.app, "sessionid");
      wrongName.useSession(key);
      expect(await whoIsLoggedIn(wrongName)).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe("over HTTPS (behind a trusted proxy)", () => {
  const HTTPS = { "X-Forwarded-Proto": "https", Origin: "https://testserver" };

  test("every cookie the app sets is Secure, HttpOnly and SameSite=Lax", async () => {
    const app = await createTestApp({ TRUST_PROXY: "1" });
    try {
      const client = app.client();
      const cookies = (await client.get("/", HTTPS)).headers.getSetCookie().map(parseSetCookie);
      const sent = await client.post("/accounts/send_login_email", { email: "secure@example.com" }, HTTPS);
      cookies.push(...sent.headers.getSetCookie().map(parseSetCookie));
      const loggedIn = await client.get(loginLinkIn(app.mailer.outbox.at(-1)?.text ?? ""), HTTPS);
      cookies.push(...loggedIn.headers.getSetCookie().map(parseSetCookie));
      expect(cookies.map((cookie) => cookie.name).sort()).toEqual([
        "csrftoken",
        // Renewed at login.
        "csrftoken",
        "flash",
        "flash",
        "login_browser",
        "sessionid",
      ]);
      for (const cookie of cookies.filter((each) => each.value !== "")) {
        expect({ name: cookie.name, secure: cookie.attributes.has("secure") }).toEqual({
          name: cookie.name,
          secure: true,
        });
        expect(cookie.attributes.has("httponly")).toBe(true);
        expect(cookie.attributes.get("samesite")).toBe("Lax");
      }
    } finally {
      await app.close();
    }
  });

  test("without TRUST_PROXY a forged X-Forwarded-Proto does not change the cookies", async () => {
    const { cookies } = await logInByEmail(testApp, "forged@example.com", { "X-Forwarded-Proto": "https" });
    expect(cookies.find((cookie) => cookie.name === "sessionid")?.attributes.has("secure")).toBe(false);
  });
});

describe("server-side sessions", () => {
  test("are honoured by every app instance sharing the database (scale-out)", async () => {
    const { client } = await logInByEmail(testApp, "scaled@example.com");
    const secondInstance = createApp({
      config: testApp.config,
      database: testApp.database,
      logger: createLogger(testApp.config),
      mailer: memoryMailer(),
    });
    const elsewhere = new TestClient(secondInstance, testApp.config.sessionCookieName);
    elsewhere.useSession(client.cookies.get("sessionid") ?? "");
    expect(await whoIsLoggedIn(elsewhere)).toBe("scaled@example.com");
  });

  test("expire after SESSION_MAX_AGE_DAYS, whatever the cookie says", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const client = testApp.client();
    client.useSession(await createSession(testApp.database.db, "expiring@example.com", 14 * 86400));
    vi.setSystemTime(Date.now() + 13 * 86400_000);
    expect(await whoIsLoggedIn(client)).toBe("expiring@example.com");
    vi.setSystemTime(Date.now() + 2 * 86400_000);
    expect(await whoIsLoggedIn(client)).toBeUndefined();

    // A login through the link takes its session's age from SESSION_MAX_AGE_DAYS; the client
    // keeps sending the cookie after that age, and the server no longer honours it.
    const app = await createTestApp({ SESSION_MAX_AGE_DAYS: "2" });
    try {
      const { client: browser } = await logInByEmail(app, "two-days@example.com");
      vi.setSystemTime(Date.now() + 86400_000);
      expect(await whoIsLoggedIn(browser)).toBe("two-days@example.com");
      vi.setSystemTime(Date.now() + 2 * 86400_000);
      expect(browser.cookies.has("sessionid")).toBe(true);
      expect(await whoIsLoggedIn(browser)).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  test.each([
    ["a random key", "A".repeat(43)],
    ["an absurdly long key", "x".repeat(4000)],
    ["an email address", "edith@example.com"],
    ["quotes and semicolons", '"%3B%22'],
  ])("%s in the cookie means anonymous, not an error", async (_, key) => {
    const client = testApp.client();
    client.useSession(key);
    const response = await client.get("/");
    expect(response.status).toBe(200);
    expect(loggedInAs(await response.text())).toBeUndefined();
  });
});
