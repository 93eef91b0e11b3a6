// Scale-out: two app server processes on one database, as behind a load
// balancer. Whatever one instance did (sessions, logins, items, flash
// messages), the other honours: nothing lives in a process's memory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHECK_EMAIL_MESSAGE } from "../../src/accounts/account-routes.ts";
import type { StoredMessage } from "../../src/email/message-files.ts";
import { CSRF_COOKIE, CSRF_FIELD } from "../../src/web/csrf.ts";
import { flashAlert, listIdFrom, tableRows } from "../support/html.ts";
import { runCli } from "../support/run-cli.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SHARED_SECRET = "scale-out-shared-secret-key-0123456789abcdef";

let testDatabase: TestDatabase;
let emailDir: string;
let env: Record<string, string>;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  emailDir = mkdtempSync(join(tmpdir(), "superlists-scale-out-email-"));
  env = {
    SUPERLISTS_ENV: "test",
    DATABASE_URL: testDatabase.url,
    SECRET_KEY: SHARED_SECRET,
    EMAIL_BACKEND: "file",
    EMAIL_FILE_DIR: emailDir,
    LOG_LEVEL: "info",
  };
  // Started together, as a deployment starts its replicas: both migrate the same empty database at once.
  [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await testDatabase.drop();
  rmSync(emailDir, { recursive: true, force: true });
});

/**
 * A browser talking to whichever instance the load balancer picks: one cookie
 * jar for both (cookies do not depend on the port), redirects not followed.
 */
class Browser {
  readonly cookies = new Map<string, string>();

  async request(server: ServerProcess, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(new URL(path, server.url), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const name = pair.slice(0, pair.indexOf("=")).trim();
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(pair.indexOf("=") + 1).trim());
    }
    return response;
  }

  async page(server: ServerProcess, path: string): Promise<string> {
    const response = await this.request(server, path);
    expect(response.status, `GET ${path}`).toBe(200);
    return response.text();
  }

  /** Posts a form with the CSRF token, as the page's form would. */
  async post(server: ServerProcess, path: string, fields: Record<string, string>): Promise<Response> {
    if (!this.cookies.has(CSRF_COOKIE)) await this.page(server, "/");
    return this.request(server, path, {
      method: "POST",
      body: new URLSearchParams({ [CSRF_FIELD]: this.cookies.get(CSRF_COOKIE) ?? "", ...fields }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
  }
}

const loggedInAs = (page: string) => page.match(/Logged in as ([^<\s]+)/)?.[1];

describe("sessions", () => {
  test("a session made with create-session is honoured by both instances", async () => {
    const result = await runCli(["create-session", "edith@example.com"], env);
    expect(result.code).toBe(0);
    const browser = new Browser();
    browser.cookies.set("sessionid", result.stdout.trim());
    expect(loggedInAs(await browser.page(a, "/"))).toBe("edith@example.com");
    expect(loggedInAs(await browser.page(b, "/"))).toBe("edith@example.com");
  });

  test("a real login: link requested from A, followed on B, then logged in on A too", async () => {
    const browser = new Browser();
    const requested = await browser.post(a, "/accounts/send_login_email", { email: "francis@example.com" });
    expect(requested.status).toBe(302);
    // The flash cookie set by A, signed with the shared secret, shows on B.
    const flash = flashAlert(await browser.page(b, "/"));
    expect(flash?.level).toBe("success");
    expect(flash?.text.replaceAll("&#39;", "'")).toBe(CHECK_EMAIL_MESSAGE);
    expect(flash?.detail).toBe("We sent it to francis@example.com.");

    const emails = await runCli(["emails", "--to", "francis@example.com", "--json"], env);
    const [email] = JSON.parse(emails.stdout) as StoredMessage[];
    const link = new URL(email?.text.trimEnd().split("\n").at(-1) ?? "");
    expect(link.origin).toBe(a.url);

    const followed = await browser.request(b, `${link.pathname}${link.search}`);
    expect(followed.status).toBe(302);
    expect(loggedInAs(await browser.page(b, "/"))).toBe("francis@example.com");
    expect(loggedInAs(await browser.page(a, "/"))).toBe("francis@example.com");

    // Logging out on A ends the session everywhere, even for a copy of the cookie.
    const sessionKey = browser.cookies.get("sessionid") ?? "";
    expect((await browser.post(a, "/accounts/logout", {})).status).toBe(302);
    browser.cookies.set("sessionid", sessionKey);
    expect(loggedInAs(await browser.page(b, "/"))).toBeUndefined();
  });

  test("a flash signed with another secret key is ignored", async () => {
    const stranger = await startServerProcess({ ...env, SECRET_KEY: "a-different-secret-key-0123456789abcdef" });
    try {
      const browser = new Browser();
      const refused = await browser.post(stranger, "/accounts/send_login_email", { email: "not-an-address" });
      expect(refused.status).toBe(302);
      expect(browser.cookies.has("flash")).toBe(true);
      expect(flashAlert(await browser.page(a, "/"))).toBeUndefined();
    } finally {
      await stranger.stop();
    }
  });
});

describe("items", () => {
  test("added through both instances, alternating and concurrently: all there, in order, on both", async () => {
    const browser = new Browser();
    const created = await browser.post(a, "/lists/new", { text: "item 0" });
    expect(created.status).toBe(302);
    const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;

    for (let n = 1; n <= 6; n++) {
      const response = await browser.post(n % 2 === 0 ? a : b, listPath, { text: `item ${n}` });
      expect(response.status, `item ${n}`).toBe(302);
    }
    const alternating = Array.from({ length: 7 }, (_, n) => `${n + 1}: item ${n}`);
    expect(tableRows(await browser.page(b, listPath))).toEqual(alternating);

    const concurrent = Array.from({ length: 20 }, (_, n) => `together ${n}`);
    const responses = await Promise.all(
      concurrent.map((text, n) => browser.post(n % 2 === 0 ? a : b, listPath, { text })),
    );
    expect(responses.map((response) => response.status)).toEqual(concurrent.map(() => 302));

    const onA = tableRows(await browser.page(a, listPath));
    const onB = tableRows(await browser.page(b, listPath));
    expect(onB).toEqual(onA);
    expect(onA.slice(0, 7)).toEqual(alternating);
    expect(
      onA
        .map((row) => row.replace(/^\d+: /, ""))
        .slice(7)
        .sort(),
    ).toEqual([...concurrent].sort());
  });
});
