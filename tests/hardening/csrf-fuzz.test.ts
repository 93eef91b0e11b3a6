// Forged form posts, generated: any token that is not the one in the victim's
// CSRF cookie, and any Origin or Sec-Fetch-Site a browser would send for another
// site, is refused with 403 on every POST route and changes nothing (the fixed
// cases live in tests/integration/csrf-and-headers.test.ts; these search around them).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSession } from "../../src/accounts/sessions.ts";
import { CSRF_COOKIE, CSRF_FAILURE_MESSAGE, CSRF_FIELD } from "../../src/web/csrf.ts";
import { forge } from "../support/forge.ts";
import { listIdFrom } from "../support/html.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";
import { nastyText } from "./support/arbitraries.ts";
import { snapshotRows } from "./support/db-snapshot.ts";
import { errorMessage } from "./support/html-checks.ts";
import { HttpClient } from "./support/http-client.ts";
import { checkProperty, PROPERTY_TIMEOUT_MS } from "./support/properties.ts";

const OWN_ORIGIN = "http://testserver";

let testApp: TestApp;
let owner: TestClient;
let forms: { path: string; fields: Record<string, string> }[];

beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_EMAILS_PER_IP_PER_HOUR: "1000000" });
  owner = testApp.client();
  owner.useSession(await createSession(testApp.database.db, "victim@example.com", 3600));
  const id = listIdFrom((await owner.post("/lists/new", { text: "Victim's list" })).headers.get("Location"));
  forms = [
    { path: "/lists/new", fields: { text: "Forged list" } },
    { path: `/lists/${id}/`, fields: { text: "Forged item" } },
    { path: `/lists/${id}/share`, fields: { sharee: "attacker@example.com" } },
    { path: "/accounts/send_login_email", fields: { email: "victim@example.com" } },
    { path: "/accounts/logout", fields: {} },
    { path: "/no/such/route", fields: {} },
  ];
});
afterAll(() => testApp.close());

const token = () => owner.cookies.get(CSRF_COOKIE) ?? "";

async function expectRefusedAndNothingChanged(send: () => Promise<Response>): Promise<void> {
  const before = await snapshotRows(testApp.database.db);
  const sent = testApp.mailer.outbox.length;
  const response = await send();
  expect(response.status).toBe(403);
  expect(errorMessage(await response.text())).toBe(CSRF_FAILURE_MESSAGE.replace("'", "&#39;"));
  expect(await snapshotRows(testApp.database.db)).toEqual(before);
  expect(testApp.mailer.outbox).toHaveLength(sent);
}

describe("in process, every POST route", () => {
  test("any token but the cookie's is refused", { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    const wrongToken = fc
      .oneof(
        nastyText,
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        fc.constant("").map(() => `${token().slice(0, -1)}${token().endsWith("A") ? "B" : "A"}`),
        fc.constant("").map(() => token().toUpperCase()),
        fc.constant("").map(() => ` ${token()}`),
      )
      .filter((candidate) => candidate.toWellFormed() !== token());
    await checkProperty(
      "forged CSRF tokens",
      fc.asyncProperty(fc.nat({ max: 5 }), wrongToken, async (index, forged) => {
        const { path, fields } = forms[index] ?? { path: "/", fields: {} };
        await expectRefusedAndNothingChanged(() => forge(owner, path, fields, forged, { Origin: OWN_ORIGIN }));
      }),
      { numRuns: 200 },
    );
  });

  test("the right token sent from any other origin, or cross-site, is refused", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const otherOrigin = fc.oneof(
      fc.constantFrom(
        "null",
        "",
        "https://testserver",
        "http://testserver:8080",
        "http://testserver.evil.example",
        "http://evil.example",
        "http://testserver@evil.example",
        "http://sub.testserver",
        "http://testserver/",
        "HTTP://TESTSERVER",
      ),
      fc.webUrl().map((url) => new URL(url).origin),
      fc.string({ unit: "grapheme-ascii", maxLength: 30 }),
    );
    const crossSite: fc.Arbitrary<Record<string, string>> = fc.oneof(
      otherOrigin.map((origin) => ({ Origin: origin })),
      fc.constantFrom("cross-site", "same-site").map((site) => ({ "Sec-Fetch-Site": site })),
      fc
        .tuple(fc.constantFrom("cross-site", "same-site"), fc.constantFrom(OWN_ORIGIN, "null"))
        .map(([site, origin]) => ({ "Sec-Fetch-Site": site, Origin: origin })),
    );
    await checkProperty(
      "cross-site form posts",
      fc.asyncProperty(
        fc.nat({ max: 5 }),
        crossSite.filter((headers) => headers.Origin?.trim() !== OWN_ORIGIN || "Sec-Fetch-Site" in headers),
        async (index, headers) => {
          const { path, fields } = forms[index] ?? { path: "/", fields: {} };
          await expectRefusedAndNothingChanged(() => forge(owner, path, fields, token(), headers));
        },
      ),
      { numRuns: 200 },
    );
  });

  test("the genuine post of each form still works (the refusals above are about the forgery alone)", async () => {
    for (const { path, fields } of forms.filter((form) => !form.path.startsWith("/no/"))) {
      const response = await forge(owner, path, fields, token(), {
        Origin: OWN_ORIGIN,
        "Sec-Fetch-Site": "same-origin",
      });
      expect(response.status, path).toBe(302);
    }
  });
});

describe("over HTTP against a server process", () => {
  const running = serverOnTestDatabase("all", () => ({ LOG_LEVEL: "info", EMAIL_BACKEND: "memory" }));

  test("only the server's own origin is accepted: another port, scheme or host name for it is refused", async () => {
    const { server } = running();
    const client = new HttpClient(server.url);
    await (await client.get("/")).arrayBuffer();
    const own = new URL(server.url);
    const post = (origin: string) =>
      client.request("/lists/new", {
        method: "POST",
        body: new URLSearchParams({ [CSRF_FIELD]: client.cookies.get(CSRF_COOKIE) ?? "", text: "From a form" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      });
    for (const origin of [
      `http://${own.hostname}:${Number(own.port) + 1}`,
      `https://${own.host}`,
      `http://localhost:${own.port}`,
      "http://evil.example",
    ]) {
      const response = await post(origin);
      expect(response.status, origin).toBe(403);
      await response.arrayBuffer();
    }
    expect((await post(own.origin)).status).toBe(302);
  });
});
