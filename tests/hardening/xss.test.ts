// Item texts and email addresses carrying HTML/JS render inert on every page that
// shows them: the list (table, re-rendered input, owner, sharees), My Lists (list
// names, owners), the navbar's "Logged in as" and its My lists link, flash
// messages and error pages. "Inert" is checked structurally: the page has exactly
// the elements and attributes the same page has with harmless data.
import fc from "fast-check";
import { serializeSigned } from "hono/utils/cookie";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSession } from "../../src/accounts/sessions.ts";
import { normalizeEmail } from "../../src/email/email-address.ts";
import { shareList } from "../../src/lists/list-store.ts";
import { cookieSigningKey } from "../../src/web/cookies.ts";
import { CSRF_COOKIE } from "../../src/web/csrf.ts";
import { flashAlert, listIdFrom, tableRows } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";
import { errorMessage, escapeHtml, pageStructure, sharees } from "./support/html-checks.ts";
import { checkProperty, PROPERTY_TIMEOUT_MS } from "./support/properties.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

const CLASSIC_PAYLOADS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg/onload=alert(1)>",
  '"><script>alert(1)</script>',
  "'><script>alert(1)</script>",
  '" autofocus onfocus="alert(1)',
  "' autofocus onfocus='alert(1)",
  "javascript:alert(1)",
  "</td></tr></table><form action=//evil.example><button>Log in again</button></form>",
  "<!--",
  "<style>body{display:none}</style>",
  "<a href=//evil.example>click</a>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#x3C;script&#x3E;",
  "<iframe srcdoc='<script>alert(1)</script>'>",
  "<base href=//evil.example/>",
  "<meta http-equiv=refresh content=0;url=//evil.example>",
];

const rawMarkup = fc.oneof(
  fc.constantFrom(...CLASSIC_PAYLOADS),
  fc
    .array(
      fc.constantFrom(
        "<",
        ">",
        "</",
        "/>",
        '"',
        "'",
        "`",
        "&",
        "=",
        " ",
        "script",
        "img",
        "svg",
        " src=x",
        " onerror=alert(1)",
        " onload=alert(1)",
        "javascript:",
        "<!--",
        "-->",
        "</td>",
        "</table>",
        "&amp;",
        "&#39;",
        "{{7*7}}",
        "\u2028",
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((parts) => parts.join("")),
);

/** As stored: the app trims item texts, so surrounding spaces would only blur the comparison. */
const markup = rawMarkup.map((text) => text.trim()).filter((text) => text.length > 0);

/** Characters an address may contain through the forms that still mean something in HTML or URLs. */
const formSafeEmailLocalPart = fc
  .array(fc.constantFrom("a", "'", "&", "=", "`", "/", "{", "}", "?", "#", "%", "+", "!", "|", "~", "^", "$", "*"), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(""));

let run = 0;

/** A fresh, unique suffix so each case's users and lists are its own. */
const unique = () => `${++run}`;

async function loggedIn(email: string): Promise<TestClient> {
  const client = testApp.client();
  client.useSession(await createSession(testApp.database.db, email, 3600));
  await client.get("/");
  return client;
}

/** Shares through the form when the address is one a user could type, else directly in the store. */
async function share(owner: TestClient, listId: string, email: string): Promise<void> {
  if (normalizeEmail(email).ok) {
    expect((await owner.post(`/lists/${listId}/share`, { sharee: email })).status).toBe(302);
    // Takes the "Shared with" flash, so both paths render the same later pages.
    await owner.get(`/lists/${listId}/`);
  } else await shareList(testApp.database.db, listId, email);
}

type Pages = Record<string, string>;

/**
 * One user's world with `text` as item text and the two addresses: the owner's
 * list (with a duplicate refused), both users' My Lists, the sharee's view.
 */
async function renderWorld(text: string, ownerEmail: string, shareeEmail: string): Promise<Pages> {
  const owner = await loggedIn(ownerEmail);
  const sharee = await loggedIn(shareeEmail);
  const created = await owner.post("/lists/new", { text });
  expect(created.status).toBe(302);
  const id = listIdFrom(created.headers.get("Location"));
  expect((await owner.post(`/lists/${id}/`, { text: `${text} (again)` })).status).toBe(302);
  await share(owner, id, shareeEmail);
  const duplicate = await owner.post(`/lists/${id}/`, { text });
  expect(duplicate.status).toBe(400);
  const pages: Pages = {
    ownerList: await (await owner.get(`/lists/${id}/`)).text(),
    duplicate: await duplicate.text(),
    ownerMyLists: await (await owner.get(`/lists/users/${encodeURIComponent(ownerEmail)}/`)).text(),
    shareeMyLists: await (await sharee.get(`/lists/users/${encodeURIComponent(shareeEmail)}/`)).text(),
    shareeList: await (await sharee.get(`/lists/${id}/`)).text(),
  };
  // Ids differ between worlds but only inside attribute values and link texts, never in structure.
  return Object.fromEntries(Object.entries(pages).map(([name, page]) => [name, page.replaceAll(id, "LIST")]));
}

function expectSameStructure(attacked: Pages, harmless: Pages): void {
  for (const [name, page] of Object.entries(attacked)) {
    expect(pageStructure(page), name).toEqual(pageStructure(harmless[name] ?? ""));
  }
}

function expectShownEscaped(pages: Pages, text: string, ownerEmail: string, shareeEmail: string): void {
  const [escapedText, escapedOwner, escapedSharee] = [text, ownerEmail, shareeEmail].map(escapeHtml);
  expect(tableRows(pages.ownerList ?? "")).toEqual([`1: ${escapedText}`, `2: ${escapedText} (again)`]);
  expect(pages.duplicate).toContain(`value="${escapedText}"`);
  expect(pages.ownerList).toContain(`Logged in as ${escapedOwner}`);
  expect(pages.ownerList).toContain(`<span id="id_list_owner" dir="auto">${escapedOwner}</span>`);
  expect(pages.ownerList).toContain(`href="/lists/users/${escapeHtml(encodeURIComponent(ownerEmail))}/"`);
  expect(sharees(pages.ownerList ?? "")).toEqual([escapedSharee]);
  expect(pages.ownerMyLists).toContain(`>${escapedText}</a>`);
  expect(pages.shareeMyLists).toContain(
    `>${escapedText}</a> <span class="text-body-secondary">(<bdi>${escapedOwner}</bdi>, `,
  );
  expect(pages.shareeList).toContain(`Logged in as ${escapedSharee}`);
}

describe("user data on every page", () => {
  test("markup in item texts, with addresses users can type (quotes, &, =, /): inert everywhere", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await checkProperty(
      "item text and typed addresses",
      fc.asyncProperty(
        markup,
        formSafeEmailLocalPart,
        formSafeEmailLocalPart,
        async (text, ownerLocal, shareeLocal) => {
          const id = unique();
          const ownerEmail = `${ownerLocal}.${id}@owner.example`;
          const shareeEmail = `${shareeLocal}.${id}@sharee.example`;
          expect(normalizeEmail(ownerEmail)).toEqual({ ok: true, email: ownerEmail });
          const attacked = await renderWorld(text, ownerEmail, shareeEmail);
          const harmless = await renderWorld(`Plain ${id}`, `plain.${id}@owner.example`, `plain.${id}@sharee.example`);
          expectSameStructure(attacked, harmless);
          expectShownEscaped(attacked, text, ownerEmail, shareeEmail);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("addresses full of markup (as if stored by some other path): still inert everywhere", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await checkProperty(
      "markup addresses",
      fc.asyncProperty(markup, markup, async (ownerMarkup, shareeMarkup) => {
        const id = unique();
        const ownerEmail = `${ownerMarkup}${id}@o.example`.toLowerCase();
        // Without whitespace: sharees are read back space-separated, so shareList refuses it.
        const shareeEmail = `${shareeMarkup.replace(/\s/g, "")}${id}@s.example`.toLowerCase();
        const attacked = await renderWorld(`Item ${id}`, ownerEmail, shareeEmail);
        const harmless = await renderWorld(`Item ${id}`, `plain${id}@o.example`, `plain${id}@s.example`);
        expectSameStructure(attacked, harmless);
        expectShownEscaped(attacked, `Item ${id}`, ownerEmail, shareeEmail);
      }),
      { numRuns: 100 },
    );
  });
});

describe("flash messages and error pages", () => {
  async function homeWithFlash(value: string): Promise<string> {
    const client = testApp.client();
    const cookie = await serializeSigned("flash", value, cookieSigningKey(testApp.config.secretKey, "flash"));
    client.cookies.set("flash", cookie.slice("flash=".length).split(";")[0] ?? "");
    return (await client.get("/")).text();
  }

  test("a flash message's text is escaped even when it holds markup", async () => {
    const harmless = await homeWithFlash(JSON.stringify({ level: "warning", text: "Plain words" }));
    for (const payload of CLASSIC_PAYLOADS) {
      const page = await homeWithFlash(JSON.stringify({ level: "warning", text: payload }));
      expect(flashAlert(page)).toEqual({ level: "warning", text: escapeHtml(payload) });
      expect(pageStructure(page)).toEqual(pageStructure(harmless));
    }
  });

  test("a flash level that is not one of ours, or a forged signature, shows no flash at all", async () => {
    const noFlash = await (await testApp.client().get("/")).text();
    const forgedLevel = await homeWithFlash(JSON.stringify({ level: 'success" onmouseover="alert(1)', text: "x" }));
    const client = testApp.client();
    client.cookies.set("flash", encodeURIComponent(`${JSON.stringify({ level: "success", text: "<b>x</b>" })}.AAAA`));
    const unsigned = await (await client.get("/")).text();
    for (const page of [forgedLevel, unsigned]) {
      expect(flashAlert(page)).toBeUndefined();
      expect(pageStructure(page)).toEqual(pageStructure(noFlash));
    }
  });

  test("field names echoed by error pages are escaped", async () => {
    const client = testApp.client();
    await client.get("/");
    const token = client.cookies.get(CSRF_COOKIE) ?? "";
    const refuse = async (name: string) => {
      const encoded = encodeURIComponent(name);
      const response = await client.request("/lists/new", {
        method: "POST",
        body: `csrf_token=${token}&${encoded}=1&${encoded}=2`,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      expect(response.status).toBe(400);
      return response.text();
    };
    const harmless = await refuse("plain");
    for (const payload of CLASSIC_PAYLOADS) {
      const page = await refuse(payload);
      expect(errorMessage(page)).toBe(escapeHtml(`The field "${payload}" was sent more than once.`));
      expect(pageStructure(page)).toEqual(pageStructure(harmless));
    }
  });
});
