// Sharing beyond the share form: the email the person gets (within the login emails'
// rate limits), the owner removing a person, a sharee's page naming the owner, and
// leaving a list after a confirmation page.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listSharees } from "../../src/lists/list-store.ts";
import { purgeExpired } from "../../src/retention/purge-expired.ts";
import { htmlText, loggedInClient } from "../support/accounts.ts";
import { flashAlert, labelledButtons, listIdFrom, shareeItems } from "../support/html.ts";
import { rowCounts } from "../support/row-counts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const OWNER = "owner@example.com";
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({
    TRUST_PROXY: "1",
    LOGIN_EMAIL_COOLDOWN_SECONDS: "60",
    LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR: "3",
    LOGIN_EMAILS_PER_IP_PER_HOUR: "5",
  });
});
afterAll(() => testApp.close());

const from = (ip: string) => ({ "X-Forwarded-For": ip });

async function ownedList(owner: TestClient, text: string): Promise<string> {
  return listIdFrom((await owner.post("/lists/new", { text })).headers.get("Location"));
}

async function pageOf(client: TestClient, listId: string): Promise<string> {
  const response = await client.get(`/lists/${listId}/`);
  expect(response.status).toBe(200);
  return response.text();
}

function emailsTo(to: string) {
  return testApp.mailer.outbox.filter((message) => message.to === to);
}

describe("the email to the person a list is shared with", () => {
  test("names the sharer and the list, and ends with the list's link", async () => {
    const owner = await loggedInClient(testApp, OWNER);
    const id = await ownedList(owner, "Plan the party");
    await owner.post(`/lists/${id}/share`, { sharee: "Friend@Example.com" }, from("192.0.2.1"));
    const [message, ...others] = emailsTo("friend@example.com");
    expect(others).toEqual([]);
    expect(message?.subject).toBe(`${OWNER} shared a to-do list with you on Superlists`);
    expect(message?.text).toContain('"Plan the party"');
    expect(message?.text.trimEnd().split("\n").at(-1)).toBe(`http://testserver/lists/${id}/`);
    expect(htmlText(flashAlert(await pageOf(owner, id))?.text ?? "")).toBe(
      "Shared with friend@example.com. We've emailed them the list's link.",
    );
  });

  test("sharing again with the same person sends nothing more", async () => {
    const owner = await loggedInClient(testApp, "again@example.com");
    const id = await ownedList(owner, "Once");
    await owner.post(`/lists/${id}/share`, { sharee: "once@example.com" }, from("192.0.2.2"));
    await owner.post(`/lists/${id}/share`, { sharee: "once@example.com" }, from("192.0.2.2"));
    expect(emailsTo("once@example.com")).toHaveLength(1);
    expect(flashAlert(await pageOf(owner, id))).toEqual({ level: "success", text: "Shared with once@example.com." });
  });

  test("past the login emails' limits (per sharer and IP, per IP), the list is shared but no email is sent", async () => {
    const owner = await loggedInClient(testApp, "busy@example.com");
    const id = await ownedList(owner, "Many friends");
    for (const n of [1, 2, 3])
      await owner.post(`/lists/${id}/share`, { sharee: `f${n}@example.com` }, from("192.0.2.3"));
    await pageOf(owner, id);
    await owner.post(`/lists/${id}/share`, { sharee: "f4@example.com" }, from("192.0.2.3"));
    const flash = flashAlert(await pageOf(owner, id));
    expect(flash?.level).toBe("warning");
    expect(htmlText(flash?.text ?? "")).toContain("Shared with f4@example.com, but we didn't email them");
    expect(emailsTo("f4@example.com")).toEqual([]);
    expect(await listSharees(testApp.database.db, id)).toContain("f4@example.com");

    // Another sharer on the same IP still has the IP's allowance (5 an hour), then not.
    const neighbour = await loggedInClient(testApp, "neighbour@example.com");
    const other = await ownedList(neighbour, "Next door");
    for (const n of [5, 6])
      await neighbour.post(`/lists/${other}/share`, { sharee: `f${n}@example.com` }, from("192.0.2.3"));
    expect(emailsTo("f5@example.com")).toHaveLength(1);
    expect(emailsTo("f6@example.com")).toHaveLength(1);
    await neighbour.post(`/lists/${other}/share`, { sharee: "f7@example.com" }, from("192.0.2.3"));
    expect(emailsTo("f7@example.com")).toEqual([]);

    // The records are kept for the hour the limits look back, then purged.
    expect((await rowCounts(testApp.database.db)).share_emails).toBeGreaterThan(0);
    await purgeExpired(testApp.database.db, Date.now() + 3600_000 + 1);
    expect((await rowCounts(testApp.database.db)).share_emails).toBe(0);
  });

  test("a mail server failure still shares, and says the email could not be sent", async () => {
    const failing = await createTestApp(
      {},
      {
        mailer: {
          send: async () => {
            throw new Error("530 authentication required");
          },
          close: () => {},
        },
      },
    );
    try {
      const owner = await loggedInClient(failing, OWNER);
      const id = listIdFrom((await owner.post("/lists/new", { text: "Offline" })).headers.get("Location"));
      expect((await owner.post(`/lists/${id}/share`, { sharee: "friend@example.com" })).status).toBe(302);
      const flash = flashAlert(await (await owner.get(`/lists/${id}/`)).text());
      expect(htmlText(flash?.text ?? "")).toBe(
        "Shared with friend@example.com, but we couldn't email them. They will find the list in My lists.",
      );
      expect(await listSharees(failing.database.db, id)).toEqual(["friend@example.com"]);
    } finally {
      await failing.close();
    }
  });
});

describe("removing a person from a list", () => {
  test("the owner has a 'Remove EMAIL' button per person; it takes their access away", async () => {
    const owner = await loggedInClient(testApp, "remover@example.com");
    const sharee = await loggedInClient(testApp, "removed@example.com");
    const id = await ownedList(owner, "Secret plans");
    await owner.post(`/lists/${id}/share`, { sharee: "removed@example.com" });
    await owner.post(`/lists/${id}/share`, { sharee: "stays@example.com" });
    let page = await pageOf(owner, id);
    expect(shareeItems(page)).toEqual(["removed@example.com", "stays@example.com"]);
    // The share form's input stays the page's only field named "sharee" (SPEC.md's UI contract).
    expect(page.match(/name="sharee"/g)).toHaveLength(1);
    expect(labelledButtons(page).map((button) => button.name)).toEqual(
      expect.arrayContaining(["Remove removed@example.com", "Remove stays@example.com"]),
    );
    // The sharee can neither remove anyone nor see the buttons.
    const shareePage = await pageOf(sharee, id);
    expect(labelledButtons(shareePage).some((button) => button.name.startsWith("Remove"))).toBe(false);
    expect((await sharee.post(`/lists/${id}/sharees/remove`, { email: "stays@example.com" })).status).toBe(403);

    expect((await owner.post(`/lists/${id}/sharees/remove`, { email: "removed@example.com" })).status).toBe(302);
    page = await pageOf(owner, id);
    expect(shareeItems(page)).toEqual(["stays@example.com"]);
    expect(flashAlert(page)).toEqual({
      level: "success",
      text: "removed@example.com no longer has access to this list.",
    });
    expect((await sharee.get(`/lists/${id}/`)).status).toBe(404);
    expect((await owner.post(`/lists/${id}/sharees/remove`, { email: "nobody@example.com" })).status).toBe(404);
  });
});

describe("a sharee's view", () => {
  test("names the owner instead of 'Your To-Do list', in the heading and the title", async () => {
    const owner = await loggedInClient(testApp, "alice@example.com");
    const sharee = await loggedInClient(testApp, "bob@example.com");
    const id = await ownedList(owner, "Groceries");
    await owner.post(`/lists/${id}/share`, { sharee: "bob@example.com" });
    const page = await pageOf(sharee, id);
    const heading = htmlText(page.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1]?.replace(/<[^>]+>/g, "") ?? "");
    expect(heading.replace(/\s+/g, " ").trim()).toBe("To-Do list shared by alice@example.com Groceries");
    expect(page).toContain("<title>Groceries - To-Do list shared by alice@example.com - Superlists</title>");
    expect(page).toContain('<span id="id_list_owner" dir="auto">alice@example.com</span>');
    expect(await pageOf(owner, id)).toContain("Your To-Do list");
  });

  test("'Leave list' asks first on a page of its own, whose button leaves", async () => {
    const owner = await loggedInClient(testApp, "carol@example.com");
    const sharee = await loggedInClient(testApp, "dave@example.com");
    const id = await ownedList(owner, "Chores");
    await owner.post(`/lists/${id}/share`, { sharee: "dave@example.com" });
    const page = await pageOf(sharee, id);
    expect(page).toMatch(
      new RegExp(`<form method="GET" action="/lists/${id}/leave">\\s*<button[^>]*>Leave list</button>`),
    );

    const confirmation = await sharee.get(`/lists/${id}/leave`);
    expect(confirmation.status).toBe(200);
    const confirmationPage = await confirmation.text();
    expect(confirmationPage).toContain("Leave this list?");
    expect(confirmationPage).toMatch(new RegExp(`<form method="POST" action="/lists/${id}/leave"`));
    expect(await listSharees(testApp.database.db, id)).toEqual(["dave@example.com"]);
    // Only a sharee has this page.
    expect((await owner.get(`/lists/${id}/leave`)).status).toBe(403);

    expect((await sharee.post(`/lists/${id}/leave`)).status).toBe(302);
    expect(await listSharees(testApp.database.db, id)).toEqual([]);
  });
});
