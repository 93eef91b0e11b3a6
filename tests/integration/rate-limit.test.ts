import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { CHECK_EMAIL_MESSAGE, RATE_LIMITED_MESSAGE } from "../../src/accounts/account-routes.ts";
import { htmlText } from "../support/accounts.ts";
import { flashAlert } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** Asks for a login email; returns the flash the user then sees. */
async function ask(app: TestApp, email: string, headers: Record<string, string> = {}) {
  const client = app.client();
  const response = await client.post("/accounts/send_login_email", { email }, headers);
  expect(response.status).toBe(302);
  const alert = flashAlert(await (await client.get("/")).text());
  return alert && { level: alert.level, text: htmlText(alert.text) };
}

const SENT = { level: "success", text: CHECK_EMAIL_MESSAGE };
const LIMITED = { level: "warning", text: RATE_LIMITED_MESSAGE };

describe("per address", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "3", LOGIN_EMAILS_PER_IP_PER_HOUR: "1000" });
  });
  afterAll(() => app.close());

  test("after LOGIN_EMAILS_PER_ADDRESS_PER_HOUR emails, the next is refused politely and not sent", async () => {
    for (const typed of ["victim@example.com", "Victim@Example.com", " victim@example.com "]) {
      expect(await ask(app, typed)).toEqual(SENT);
    }
    const sent = app.mailer.outbox.length;
    expect(await ask(app, "VICTIM@example.com")).toEqual(LIMITED);
    expect(app.mailer.outbox).toHaveLength(sent);
    // Other people are not affected.
    expect(await ask(app, "bystander@example.com")).toEqual(SENT);
  });

  test("the limit is per hour: an hour later, emails are sent again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 3; i++) expect(await ask(app, "patient@example.com")).toEqual(SENT);
    expect(await ask(app, "patient@example.com")).toEqual(LIMITED);
    vi.setSystemTime(Date.now() + 61 * 60_000);
    expect(await ask(app, "patient@example.com")).toEqual(SENT);
  });

  test("requests racing each other cannot get past the limit", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(app, "raced@example.com")));
    const sent = app.mailer.outbox.filter((message) => message.to === "raced@example.com");
    // At most the limit; possibly none at all (each request counts the others' stored tokens,
    // so a burst over the limit can be refused whole, as it is on SQLite in process).
    expect(sent.length).toBeLessThanOrEqual(3);
    // Every request got one of the two polite answers, matching what was really sent.
    expect(answers.filter((answer) => answer?.level === "success")).toHaveLength(sent.length);
    expect(answers.filter((answer) => answer?.level === "warning")).toEqual(Array(12 - sent.length).fill(LIMITED));
  });
});

describe("per client IP", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({
      LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "100",
      LOGIN_EMAILS_PER_IP_PER_HOUR: "3",
      TRUST_PROXY: "1",
    });
  });
  afterAll(() => app.close());

  test("after LOGIN_EMAILS_PER_IP_PER_HOUR emails from one IP, it is refused for any address", async () => {
    // Behind the proxy, the client is the address the proxy appended last.
    const from = (ip: string) => ({ "X-Forwarded-For": `10.0.0.1, ${ip}` });
    for (let i = 0; i < 3; i++) expect(await ask(app, `spam${i}@example.com`, from("198.51.100.7"))).toEqual(SENT);
    const sent = app.mailer.outbox.length;
    expect(await ask(app, "spam3@example.com", from("198.51.100.7"))).toEqual(LIMITED);
    expect(app.mailer.outbox).toHaveLength(sent);
    expect(await ask(app, "spam4@example.com", from("198.51.100.8"))).toEqual(SENT);
  });
});

test("without TRUST_PROXY, a forged X-Forwarded-For does not escape the per-IP limit", async () => {
  const app = await createTestApp({ LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "100", LOGIN_EMAILS_PER_IP_PER_HOUR: "2" });
  try {
    expect(await ask(app, "a@example.com", { "X-Forwarded-For": "192.0.2.1" })).toEqual(SENT);
    expect(await ask(app, "b@example.com", { "X-Forwarded-For": "192.0.2.2" })).toEqual(SENT);
    expect(await ask(app, "c@example.com", { "X-Forwarded-For": "192.0.2.3" })).toEqual(LIMITED);
  } finally {
    await app.close();
  }
});
