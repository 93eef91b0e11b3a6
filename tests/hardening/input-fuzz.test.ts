// Property tests over every form and route of the in-process app: whatever a
// user or attacker sends, the answer is the normal success for valid input or a
// clear 4xx, never a 500, and a refused request leaves every stored row as it was.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHECK_EMAIL_MESSAGE, INVALID_LINK_MESSAGE } from "../../src/accounts/account-routes.ts";
import { createSession } from "../../src/accounts/sessions.ts";
import { MAX_FORM_BYTES } from "../../src/app.ts";
import { INVALID_EMAIL_ERROR, normalizeEmail } from "../../src/email/email-address.ts";
import {
  CONTROL_CHARACTER_ERROR,
  DUPLICATE_ITEM_ERROR,
  EMPTY_ITEM_ERROR,
  LONG_ITEM_ERROR,
} from "../../src/lists/item-text.ts";
import { listItems } from "../../src/lists/list-store.ts";
import { CSRF_COOKIE } from "../../src/web/csrf.ts";
import { flashAlert, listIdFrom, tableRows, textFeedback } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";
import { nastyEmail, nastyFragment, nastyText, sloppilyEncoded } from "./support/arbitraries.ts";
import { listsWithWrongItemCount, snapshotRows, withoutItemCounts } from "./support/db-snapshot.ts";
import { errorMessage, escapeHtml, hasClearMessage, sharees, shareFeedback } from "./support/html-checks.ts";
import { checkProperty, PROPERTY_TIMEOUT_MS } from "./support/properties.ts";

let testApp: TestApp;
beforeAll(async () => {
  // Rate limits would turn later cases into "too many emails": this suite tests input, not limits.
  testApp = await createTestApp({
    LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "1000000",
    LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR: "1000000",
    LOGIN_EMAILS_PER_IP_PER_HOUR: "1000000",
    LOGIN_EMAIL_COOLDOWN_SECONDS: "0",
  });
});
afterAll(() => testApp.close());

const db = () => testApp.database.db;

/** The spec's rules for an item, restated: what a browser's form encoding and the server's trimming make of it. */
function expectedItem(raw: string): { ok: true; text: string } | { ok: false; error: string } {
  // A browser (and URLSearchParams) sends a lone surrogate as U+FFFD.
  const text = raw.toWellFormed().trim();
  if (text === "") return { ok: false, error: EMPTY_ITEM_ERROR };
  if ([...text].length > 1000) return { ok: false, error: LONG_ITEM_ERROR };
  // Unicode's control characters (C0, DEL, C1) but tab, CR and LF.
  if (/[^\P{Cc}\t\n\r]/u.test(text)) return { ok: false, error: CONTROL_CHARACTER_ERROR };
  return { ok: true, text };
}

/** What an accepted address must look like, whatever the app's exact rule: one @, nothing invisible or markup. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must never be accepted.
const SANE_ADDRESS = /^[^\s@<>"\u0000-\u001F\u007F]+@[^\s@<>"\u0000-\u001F\u007F]+$/;

async function newList(client: TestClient, text = "First item"): Promise<string> {
  const response = await client.post("/lists/new", { text });
  expect(response.status).toBe(302);
  return listIdFrom(response.headers.get("Location"));
}

async function loggedInClient(email: string): Promise<TestClient> {
  const client = testApp.client();
  client.useSession(await createSession(db(), email, 3600));
  return client;
}

/** Follows a redirect to the home page and returns the flash it shows. */
async function flashAfter(client: TestClient, response: Response) {
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/");
  return flashAlert(await (await client.get("/")).text());
}

describe("item texts", () => {
  test("any text for a new list: a list holding exactly the trimmed text, or a 400 with the reason", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const client = testApp.client();
    const outcomes = { accepted: 0, refused: 0 };
    await checkProperty(
      "POST /lists/new text",
      fc.asyncProperty(nastyText, async (raw) => {
        const before = await snapshotRows(db());
        const response = await client.post("/lists/new", { text: raw });
        const expected = expectedItem(raw);
        outcomes[expected.ok ? "accepted" : "refused"]++;
        if (expected.ok) {
          const id = listIdFrom(response.headers.get("Location"));
          expect(await listItems(db(), id)).toEqual([expected.text]);
          const page = await (await client.get(`/lists/${id}/`)).text();
          expect(tableRows(page)).toEqual([`1: ${escapeHtml(expected.text)}`]);
        } else {
          expect(response.status).toBe(400);
          expect(textFeedback(await response.text())).toBe(escapeHtml(expected.error));
          expect(await snapshotRows(db())).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
    // Both branches ran: the inputs were neither all valid nor all refused.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  test("any texts added to a list, repeats included: stored once each in order, refusals change nothing", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const client = testApp.client();
    const texts = fc
      .array(nastyText, { minLength: 1, maxLength: 4 })
      .chain((unique) => fc.tuple(fc.constant(unique), fc.subarray(unique)))
      .map(([unique, repeats]) => [...unique, ...repeats]);
    await checkProperty(
      "POST /lists/:id/ text sequences",
      fc.asyncProperty(texts, async (sequence) => {
        const id = await newList(client);
        const stored = ["First item"];
        for (const raw of sequence) {
          const before = await snapshotRows(db());
          const response = await client.post(`/lists/${id}/`, { text: raw });
          const expected = expectedItem(raw);
          if (expected.ok && !stored.includes(expected.text)) {
            expect(response.status).toBe(302);
            stored.push(expected.text);
            continue;
          }
          expect(response.status).toBe(400);
          const page = await response.text();
          if (expected.ok) {
            expect(textFeedback(page)).toBe(escapeHtml(DUPLICATE_ITEM_ERROR));
            // The refused text comes back in the input, still inert inside the attribute.
            expect(page).toContain(`value="${escapeHtml(expected.text)}"`);
          } else {
            expect(textFeedback(page)).toBe(escapeHtml(expected.error));
          }
          expect(await snapshotRows(db())).toEqual(before);
        }
        expect(await listItems(db(), id)).toEqual(stored);
        const page = await (await client.get(`/lists/${id}/`)).text();
        expect(tableRows(page)).toEqual(stored.map((text, index) => `${index + 1}: ${escapeHtml(text)}`));
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The address the app settles on for what was typed (the form's encoding makes lone
 * surrogates U+FFFD); tests/unit/email-address.test.ts says what normalising does.
 */
function normalised(raw: string): string | undefined {
  const result = normalizeEmail(raw.toWellFormed());
  return result.ok ? result.email : undefined;
}

describe("email addresses", () => {
  test("any login email address: sent to exactly the normalised address, or refused politely with nothing stored", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const client = testApp.client();
    const outcomes = { sent: 0, refused: 0 };
    await checkProperty(
      "POST /accounts/send_login_email email",
      fc.asyncProperty(nastyEmail, async (raw) => {
        const before = await snapshotRows(db());
        const sentBefore = testApp.mailer.outbox.length;
        const flash = await flashAfter(client, await client.post("/accounts/send_login_email", { email: raw }));
        outcomes[flash?.level === "success" ? "sent" : "refused"]++;
        if (flash?.level === "success") {
          expect(flash.text).toBe(escapeHtml(CHECK_EMAIL_MESSAGE));
          const sent = testApp.mailer.outbox.slice(sentBefore);
          expect(sent).toHaveLength(1);
          const to = sent[0]?.to ?? "";
          expect(to).toBe(normalised(raw));
          expect(to).toMatch(SANE_ADDRESS);
          expect(to.length).toBeLessThanOrEqual(254);
          expect(flash.detail).toBe(escapeHtml(`We sent it to ${to}.`));
          expect(sent[0]?.text.split("\n").at(-1)).toMatch(/^http:\/\/testserver\/accounts\/login\?token=[\w-]{43}$/);
        } else {
          expect(flash).toEqual({ level: "warning", text: escapeHtml(INVALID_EMAIL_ERROR) });
          expect(testApp.mailer.outbox).toHaveLength(sentBefore);
          expect(await snapshotRows(db())).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
    // Both branches ran: some of the nasty addresses are valid, most are not.
    expect(outcomes.sent).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  test("every ordinary valid address is accepted", { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    const client = testApp.client();
    await checkProperty(
      "valid addresses accepted",
      fc.asyncProperty(
        fc.emailAddress().filter((email) => email.length <= 254),
        async (email) => {
          const flash = await flashAfter(client, await client.post("/accounts/send_login_email", { email }));
          expect(flash?.level).toBe("success");
          expect(testApp.mailer.outbox.at(-1)?.to).toBe(email.toLowerCase());
        },
      ),
      { numRuns: 100 },
    );
  });

  test("any sharee: shared with exactly the normalised address, or a 400 on the list page with nothing stored", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const owner = "owner@example.com";
    const client = await loggedInClient(owner);
    const outcomes = { shared: 0, refused: 0 };
    await checkProperty(
      "POST /lists/:id/share sharee",
      fc.asyncProperty(fc.array(nastyEmail, { minLength: 1, maxLength: 3 }), async (attempts) => {
        const id = await newList(client);
        const shared = new Set<string>();
        for (const raw of attempts) {
          const before = await snapshotRows(db());
          const response = await client.post(`/lists/${id}/share`, { sharee: raw });
          outcomes[response.status === 302 ? "shared" : "refused"]++;
          if (response.status === 302) {
            const email = normalised(raw) ?? "";
            expect(email).toMatch(SANE_ADDRESS);
            if (email !== owner) shared.add(email);
          } else {
            expect(response.status).toBe(400);
            expect(shareFeedback(await response.text())).toBe(escapeHtml(INVALID_EMAIL_ERROR));
            expect(await snapshotRows(db())).toEqual(before);
          }
        }
        const page = await (await client.get(`/lists/${id}/`)).text();
        expect(new Set(sharees(page))).toEqual(new Set([...shared].map(escapeHtml)));
      }),
      { numRuns: 150 },
    );
    expect(outcomes.shared).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

describe("login links", () => {
  test("any bad token, however encoded: the invalid-link message, no session, nothing changed", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const client = testApp.client();
    const token = fc.oneof(
      sloppilyEncoded(nastyText),
      fc.base64String({ minLength: 40, maxLength: 48 }).map((value) => encodeURIComponent(value)),
      fc.string({ unit: "grapheme-ascii", minLength: 43, maxLength: 43 }).map((value) => encodeURIComponent(value)),
      fc
        .tuple(nastyFragment, nastyFragment)
        .map(([a, b]) => `${encodeURIComponent(a.toWellFormed())}&token=${encodeURIComponent(b.toWellFormed())}`),
    );
    await checkProperty(
      "GET /accounts/login?token=",
      fc.asyncProperty(token, async (query) => {
        const before = await snapshotRows(db());
        const response = await client.get(`/accounts/login?token=${query}`);
        expect(client.cookies.has(testApp.config.sessionCookieName)).toBe(false);
        expect(await flashAfter(client, response)).toEqual({
          level: "warning",
          text: escapeHtml(INVALID_LINK_MESSAGE),
        });
        expect(await snapshotRows(db())).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  test("a real link works once; replayed, tampered or truncated it is refused and changes nothing", async () => {
    const requester = testApp.client();
    await requester.post("/accounts/send_login_email", { email: "replay@example.com" });
    const link = testApp.mailer.outbox.at(-1)?.text.split("\n").at(-1) ?? "";
    const token = new URL(link).searchParams.get("token") ?? "";
    const flipped = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const forged of [flipped, token.slice(0, -1), `${token}A`, token.toUpperCase(), ` ${token}`]) {
      const before = await snapshotRows(db());
      const client = testApp.client();
      const flash = await flashAfter(client, await client.get(`/accounts/login?token=${encodeURIComponent(forged)}`));
      expect(flash?.text).toBe(escapeHtml(INVALID_LINK_MESSAGE));
      expect(await snapshotRows(db())).toEqual(before);
    }

    // Opened in the browser that asked for it, the link logs in at once.
    await requester.get(`/accounts/login?token=${token}`);
    expect(await (await requester.get("/")).text()).toContain("Logged in as replay@example.com");

    const before = await snapshotRows(db());
    const replayer = testApp.client();
    const flash = await flashAfter(replayer, await replayer.get(`/accounts/login?token=${token}`));
    expect(flash?.text).toBe(escapeHtml(INVALID_LINK_MESSAGE));
    expect(replayer.cookies.has(testApp.config.sessionCookieName)).toBe(false);
    expect(await snapshotRows(db())).toEqual(before);
  });
});

describe("URLs", () => {
  const segment = fc.oneof(
    fc.constantFrom(
      "lists",
      "users",
      "new",
      "share",
      "accounts",
      "login",
      "logout",
      "send_login_email",
      "static",
      "bootstrap.min.css",
      "healthz",
      "..",
      ".",
      "%2e%2e",
      "%2E%2E%2F",
      "..%5C",
      "%00",
      "%",
      "%ZZ",
      "%E0%A4%A",
      "%C0%AF",
      "0123456789abcdef0123456789abcdef",
      "0123456789ABCDEF0123456789ABCDEF",
      "0123456789abcdef0123456789abcde",
      "a%40b.c",
      "owner%40example.com",
    ),
    fc.webSegment(),
    nastyText.map((text) => encodeURIComponent(text.toWellFormed())),
    fc.stringMatching(/^[0-9a-f]{30,34}$/),
  );
  const path = fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.option(sloppilyEncoded(nastyText)))
    .map(([segments, slash, query]) => `/${segments.join("/")}${slash ? "/" : ""}${query === null ? "" : `?${query}`}`);
  const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  test("any path, query and method, anonymous or logged in: a page or a clear 4xx, never a 500, nothing changed", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const anonymous = testApp.client();
    const owner = await loggedInClient("owner@example.com");
    const ownerless = await newList(anonymous);
    const owned = await newList(owner);
    const knownIds = fc.constantFrom(ownerless, owned);
    const pathWithKnownList = fc
      .tuple(knownIds, fc.constantFrom("/lists/ID/", "/lists/ID/share", "/lists/ID", "/lists/ID//", "/lists/ID/%ZZ"))
      .map(([id, template]) => template.replace("ID", id));
    const knownRoute = fc.constantFrom(
      "/",
      "/lists/new",
      "/lists/users/owner%40example.com/",
      "/lists/users/OWNER%40EXAMPLE.COM/",
      "/accounts/send_login_email",
      "/accounts/login",
      "/accounts/logout",
      "/healthz",
      "/readyz",
      "/static/site.css",
    );
    await checkProperty(
      "any path/method",
      fc.asyncProperty(
        fc.oneof(path, pathWithKnownList, knownRoute),
        method,
        fc.boolean(),
        async (target, verb, loggedIn) => {
          const client = loggedIn ? owner : anonymous;
          const before = await snapshotRows(db());
          // POSTs carry a valid CSRF token but no other field: whatever route they reach, it stores nothing.
          const init: RequestInit =
            verb === "GET" || verb === "HEAD"
              ? { method: verb }
              : {
                  method: verb,
                  body: new URLSearchParams({ csrf_token: client.cookies.get(CSRF_COOKIE) ?? "" }),
                  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://testserver" },
                };
          // Glued to the origin, not resolved against it: "//x" must stay a path, not become a host.
          const response = await client.request(`http://testserver${target}`, init);
          const body = await response.text();
          expect(response.status, `${verb} ${target}`).toBeLessThan(500);
          expect(body).not.toContain('"name": "superlists"');
          if (response.status >= 400 && verb !== "HEAD") expect(hasClearMessage(body)).toBe(true);
          const after = await snapshotRows(db());
          if (loggedIn && verb === "POST" && new URL(`http://testserver${target}`).pathname === "/accounts/logout") {
            // The one change a bare POST may make: logging its user out. Log back in for the next case.
            expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
            owner.useSession(await createSession(db(), "owner@example.com", 3600));
          } else {
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("request bodies", () => {
  const postRoutes = async () => {
    const owner = await loggedInClient("bodies@example.com");
    const id = await newList(owner);
    return {
      owner,
      routes: ["/lists/new", `/lists/${id}/`, `/lists/${id}/share`, "/accounts/send_login_email", "/accounts/logout"],
    };
  };

  const contentType = fc.constantFrom(
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    "APPLICATION/X-WWW-FORM-URLENCODED",
    "application/x-www-form-urlencoded; charset=iso-8859-1",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=XYZ",
    "text/plain",
    "application/json",
    "application/xml",
    "",
  );

  test("any body with any content type: a 302 that keeps every stored row, or a 4xx with a clear message that changes nothing", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const { owner, routes } = await postRoutes();
    const token = owner.cookies.get(CSRF_COOKIE) ?? "";
    const field = fc.oneof(
      fc.constantFrom("text", "sharee", "email", "csrf_token", "text[]", "__proto__", ""),
      sloppilyEncoded(nastyFragment),
    );
    const pair = fc
      .tuple(field, sloppilyEncoded(nastyText), fc.constantFrom("=", "", "=="))
      .map(([name, value, equals]) => `${name}${equals}${value}`);
    const body = fc
      .tuple(fc.array(pair, { maxLength: 5 }), fc.nat({ max: 5 }), fc.boolean())
      .map(([pairs, at, withToken]) => {
        const parts = [...pairs];
        if (withToken) parts.splice(at, 0, `csrf_token=${token}`);
        return parts.join("&");
      });
    await checkProperty(
      "POST raw bodies",
      fc.asyncProperty(fc.constantFrom(...routes), contentType, body, async (route, type, raw) => {
        const before = await snapshotRows(db());
        const response = await owner.request(route, {
          method: "POST",
          body: raw,
          headers: { ...(type ? { "Content-Type": type } : {}), Origin: "http://testserver" },
        });
        expect([302, 400, 403, 404, 413, 415], `${route} ${type} ${JSON.stringify(raw)}`).toContain(response.status);
        const after = await snapshotRows(db());
        if (response.status === 302 && !route.endsWith("logout")) {
          // A form that was valid after all: whatever it added, every row stored before is
          // untouched but for its list's item count, which must still count its items.
          const kept = withoutItemCounts(before);
          const now = withoutItemCounts(after);
          for (const [table, rows] of Object.entries(kept)) {
            expect(now[table as keyof typeof now]).toEqual(expect.arrayContaining(rows));
          }
          expect(await listsWithWrongItemCount(db())).toEqual([]);
        } else if (response.status !== 302) {
          expect(hasClearMessage(await response.text())).toBe(true);
          expect(after).toEqual(before);
        }
        if (route.endsWith("logout") && response.status === 302) {
          // Logged out for real: log back in for the next case.
          owner.useSession(await createSession(db(), "bodies@example.com", 3600));
        }
      }),
      { numRuns: 300 },
    );
  });

  test("multipart bodies: text fields are read like a urlencoded form, file uploads and junk are refused", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const { owner, routes } = await postRoutes();
    const token = owner.cookies.get(CSRF_COOKIE) ?? "";
    const part = fc.record({
      name: fc.constantFrom("text", "sharee", "email", "csrf_token", "other"),
      value: nastyText,
      file: fc.boolean(),
    });
    await checkProperty(
      "POST multipart bodies",
      fc.asyncProperty(
        fc.constantFrom(...routes.filter((route) => !route.endsWith("logout"))),
        fc.array(part, { maxLength: 4 }),
        async (route, parts) => {
          const before = await snapshotRows(db());
          const form = new FormData();
          form.append("csrf_token", token);
          for (const { name, value, file } of parts) {
            if (file) form.append(name, new Blob([value]), "evil.html");
            else form.append(name, value);
          }
          const response = await owner.request(route, {
            method: "POST",
            body: form,
            headers: { Origin: "http://testserver" },
          });
          expect([302, 400, 403]).toContain(response.status);
          if (parts.some((p) => p.file)) expect(response.status).toBe(400);
          if (response.status !== 302) expect(await snapshotRows(db())).toEqual(before);
        },
      ),
      { numRuns: 150 },
    );
    // A valid form sent as multipart is read as the urlencoded one is: trimmed text, stored.
    const form = new FormData();
    form.append("csrf_token", token);
    form.append("text", "  Sent as multipart  ");
    const created = await owner.request("/lists/new", {
      method: "POST",
      body: form,
      headers: { Origin: "http://testserver" },
    });
    expect(created.status).toBe(302);
    expect(await listItems(db(), listIdFrom(created.headers.get("Location")))).toEqual(["Sent as multipart"]);
  });

  test.each([
    ["just over the limit", MAX_FORM_BYTES + 1],
    ["1 MB", 1024 * 1024],
  ])("a %s body is refused with 413 on every POST route, nothing stored", async (_label, size) => {
    const { owner, routes } = await postRoutes();
    for (const route of routes) {
      const before = await snapshotRows(db());
      const response = await owner.request(route, {
        method: "POST",
        body: `csrf_token=${owner.cookies.get(CSRF_COOKIE)}&text=${"x".repeat(size)}`,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://testserver" },
      });
      expect(response.status).toBe(413);
      expect(errorMessage(await response.text())).toContain("too large");
      expect(await snapshotRows(db())).toEqual(before);
    }
  });

  test("a repeated field is a clear 400 on every route that reads one; a missing one a 400 or the login form's warning", async () => {
    const { owner, routes } = await postRoutes();
    const fieldOf: Record<string, string> = { new: "text", share: "sharee", send_login_email: "email" };
    for (const route of routes.filter((route) => !route.endsWith("logout"))) {
      const name = fieldOf[route.split("/").filter(Boolean).at(-1) ?? ""] ?? "text";
      const token = `csrf_token=${owner.cookies.get(CSRF_COOKIE)}`;
      const before = await snapshotRows(db());
      const repeated = await owner.request(route, {
        method: "POST",
        body: `${token}&${name}=a%40b.cc&${name}=c%40d.ee`,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      expect(repeated.status).toBe(400);
      expect(errorMessage(await repeated.text())).toContain("sent more than once");
      const missing = await owner.request(route, {
        method: "POST",
        body: token,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      if (route.endsWith("send_login_email")) {
        expect((await flashAfter(owner, missing))?.text).toBe(escapeHtml(INVALID_EMAIL_ERROR));
      } else {
        expect(missing.status).toBe(400);
      }
      expect(await snapshotRows(db())).toEqual(before);
    }
  });
});
