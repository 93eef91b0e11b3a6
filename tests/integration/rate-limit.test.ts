import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { CHECK_EMAIL_MESSAGE, COOLDOWN_MESSAGE, RATE_LIMITED_MESSAGE } from "../../src/accounts/account-routes.ts";
import { htmlText, loggedInAs, loginLinkIn } from "../support/accounts.ts";
import { capturedLogs } from "../support/captured-logs.ts";
import { flashAlert } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** Asks for a login email; returns the flash the user then sees. */
async function ask(app: TestApp, email: string, headers: Record<string, string> = {}, client = app.client()) {
  const response = await client.post("/accounts/send_login_email", { email }, headers);
  expect(response.status).toBe(302);
  const alert = flashAlert(await (await client.get("/", headers)).text());
  return alert && { level: alert.level, text: htmlText(alert.text) };
}

/** Behind the proxy, the client is the address the proxy appended last. */
const from = (ip: string) => ({ "X-Forwarded-For": `10.0.0.1, ${ip}` });

const SENT = { level: "success", text: CHECK_EMAIL_MESSAGE };
const LIMITED = { level: "warning", text: RATE_LIMITED_MESSAGE };
const COOLING_DOWN = { level: "warning", text: COOLDOWN_MESSAGE };

const sentTo = (app: TestApp, email: string) => app.mailer.outbox.filter((message) => message.to === email);

describe("per address and requesting IP", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({
      LOGIN_EMAIL_COOLDOWN_SECONDS: "0",
      LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR: "3",
      LOGIN_EMAILS_PER_IP_PER_HOUR: "1000",
      TRUST_PROXY: "1",
    });
  });
  afterAll(() => app.close());

  test("after LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR emails, the next from that IP is refused politely and not sent", async () => {
    for (const typed of ["victim@example.com", "Victim@Example.com", " victim@example.com "]) {
      expect(await ask(app, typed, from("198.51.100.1"))).toEqual(SENT);
    }
    const sent = app.mailer.outbox.length;
    expect(await ask(app, "VICTIM@example.com", from("198.51.100.1"))).toEqual(LIMITED);
    expect(app.mailer.outbox).toHaveLength(sent);
    // Other people are not affected: another address, or the same address from elsewhere.
    expect(await ask(app, "bystander@example.com", from("198.51.100.1"))).toEqual(SENT);
    expect(await ask(app, "victim@example.com", from("198.51.100.2"))).toEqual(SENT);
  });

  test("the limit is per hour: an hour later, emails are sent again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 3; i++) expect(await ask(app, "patient@example.com", from("198.51.100.3"))).toEqual(SENT);
    expect(await ask(app, "patient@example.com", from("198.51.100.3"))).toEqual(LIMITED);
    vi.setSystemTime(Date.now() + 61 * 60_000);
    expect(await ask(app, "patient@example.com", from("198.51.100.3"))).toEqual(SENT);
  });

  test("requests racing each other cannot get past the limit", async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => ask(app, "raced@example.com", from("198.51.100.4"))),
    );
    const sent = sentTo(app, "raced@example.com");
    // At most the limit; possibly none at all (each request counts the others' stored tokens,
    // so a burst over the limit can be refused whole, as it is on SQLite in process).
    expect(sent.length).toBeLessThanOrEqual(3);
    // Every request got one of the two polite answers, matching what was really sent.
    expect(answers.filter((answer) => answer?.level === "success")).toHaveLength(sent.length);
    expect(answers.filter((answer) => answer?.level === "warning")).toEqual(Array(12 - sent.length).fill(LIMITED));
  });
});

describe("the cooldown between two emails to one address from one IP", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LOGIN_EMAILS_PER_IP_PER_HOUR: "1000", TRUST_PROXY: "1" });
  });
  afterAll(() => app.close());

  test("is 60 seconds by default: a second request within it is refused politely and not sent", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    expect(await ask(app, "hasty@example.com", from("192.0.2.10"))).toEqual(SENT);
    vi.setSystemTime(Date.now() + 59_000);
    expect(await ask(app, "hasty@example.com", from("192.0.2.10"))).toEqual(COOLING_DOWN);
    expect(sentTo(app, "hasty@example.com")).toHaveLength(1);
    // Someone else asking for the same address from elsewhere is not held up.
    expect(await ask(app, "hasty@example.com", from("192.0.2.11"))).toEqual(SENT);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await ask(app, "hasty@example.com", from("192.0.2.10"))).toEqual(SENT);
  });

  test("LOGIN_EMAIL_COOLDOWN_SECONDS sets it", async () => {
    const quick = await createTestApp({ LOGIN_EMAIL_COOLDOWN_SECONDS: "5" });
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      expect(await ask(quick, "quick@example.com")).toEqual(SENT);
      expect(await ask(quick, "quick@example.com")).toEqual(COOLING_DOWN);
      vi.setSystemTime(Date.now() + 6_000);
      expect(await ask(quick, "quick@example.com")).toEqual(SENT);
    } finally {
      await quick.close();
    }
  });
});

describe("a stranger cannot lock a user out", () => {
  test("a flood for an address from one IP leaves the user, asking from another, a working link", async () => {
    // Default limits: only the proxy is configured.
    const app = await createTestApp({ TRUST_PROXY: "1" });
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      const stranger = from("203.0.113.66");
      for (let i = 0; i < 50; i++) {
        await ask(app, "edith@example.com", stranger);
        vi.setSystemTime(Date.now() + 61_000);
      }
      // The flood reached the inbox only a handful of times.
      expect(sentTo(app, "edith@example.com").length).toBeLessThanOrEqual(5);

      const edith: TestClient = app.client();
      const home = from("198.51.100.200");
      expect(await ask(app, "edith@example.com", home, edith)).toEqual(SENT);
      const link = loginLinkIn(app.mailer.outbox.at(-1)?.text ?? "");
      expect((await edith.get(link, home)).status).toBe(302);
      expect(loggedInAs(await (await edith.get("/", home)).text())).toBe("edith@example.com");
    } finally {
      await app.close();
    }
  });

  test("a flood from many IPs is still stopped by LOGIN_EMAILS_PER_ADDRESS_PER_HOUR", async () => {
    const app = await createTestApp({ LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "4", TRUST_PROXY: "1" });
    try {
      for (let i = 1; i <= 4; i++) expect(await ask(app, "target@example.com", from(`192.0.2.${i}`))).toEqual(SENT);
      expect(await ask(app, "target@example.com", from("192.0.2.5"))).toEqual(LIMITED);
      expect(sentTo(app, "target@example.com")).toHaveLength(4);
    } finally {
      await app.close();
    }
  });
});

describe("per client IP", () => {
  let app: TestApp;
  const logs = capturedLogs();
  beforeAll(async () => {
    app = await createTestApp(
      {
        LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "100",
        LOGIN_EMAILS_PER_IP_PER_HOUR: "3",
        TRUST_PROXY: "1",
      },
      { logger: logs.logger },
    );
  });

  let asked = 0;
  /** Asks once for a different address from each client; returns the answers. */
  async function askFromEach(clients: string[]) {
    const answers = [];
    for (const client of clients) answers.push(await ask(app, `client${++asked}@example.com`, from(client)));
    return answers;
  }
  afterAll(() => app.close());

  test("after LOGIN_EMAILS_PER_IP_PER_HOUR emails from one IP, it is refused for any address", async () => {
    for (let i = 0; i < 3; i++) expect(await ask(app, `spam${i}@example.com`, from("198.51.100.7"))).toEqual(SENT);
    const sent = app.mailer.outbox.length;
    expect(await ask(app, "spam3@example.com", from("198.51.100.7"))).toEqual(LIMITED);
    expect(app.mailer.outbox).toHaveLength(sent);
    expect(await ask(app, "spam4@example.com", from("198.51.100.8"))).toEqual(SENT);
  });

  test("an IPv6 client is counted per /64: every address of one network shares one allowance", async () => {
    // One customer's /64 holds 2^64 addresses: counted one by one, each would get a fresh allowance.
    const network = Array.from({ length: 20 }, (_, i) => `2001:db8:1:2:${i.toString(16)}::${i + 1}`);
    const sent = app.mailer.outbox.length;
    expect(await askFromEach(network)).toEqual([SENT, SENT, SENT, ...Array(17).fill(LIMITED)]);
    expect(app.mailer.outbox).toHaveLength(sent + 3);
    // However the address is written, and with a port.
    expect(await askFromEach(["2001:DB8:1:2:FFFF:FFFF:FFFF:FFFF", "[2001:db8:1:2::]:443"])).toEqual([LIMITED, LIMITED]);
    // The next /64 is another customer.
    expect(await askFromEach(["2001:db8:1:3::1"])).toEqual([SENT]);
  });

  test("one IPv4 client is one client however the proxy writes it: with a port, IPv4-mapped, in brackets", async () => {
    const forms = ["192.0.2.77", "192.0.2.77:4711", "::ffff:192.0.2.77", "[::ffff:192.0.2.77]:443", "::FFFF:c000:24d"];
    expect(await askFromEach(forms)).toEqual([SENT, SENT, SENT, LIMITED, LIMITED]);
    // The log names the client as its plain address.
    const refusals = logs.lines.filter((line) => line.msg === "login email refused: rate limit");
    expect(refusals.slice(-2).map((line) => line.requesterIp)).toEqual(["192.0.2.77", "192.0.2.77"]);
  });

  test("forwarded values that are no IP address share one allowance: garbage buys no fresh one per request", async () => {
    const garbage = [
      "garbage-1",
      "garbage-2",
      "999.1.1.1",
      "1.2.3.4.5",
      "::g",
      "[::1",
      `x${"1".repeat(100)}`,
      "unknown",
    ];
    expect(await askFromEach(garbage)).toEqual([SENT, SENT, SENT, ...Array(5).fill(LIMITED)]);
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
