// Email faults against a real server process, configured as production is (by
// environment variables): the mail server down or refusing to authenticate, and
// an email capture directory that cannot be written. The user gets the clear
// message (or their login works), the operator gets the full error in the log
// with the request id, and the server keeps serving. In-process versions of these
// live in tests/integration/smtp-login-email.test.ts and email-backends.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { CHECK_EMAIL_MESSAGE, SEND_FAILED_MESSAGE } from "../../src/accounts/account-routes.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { flashAlert } from "../support/html.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { escapeHtml } from "./support/html-checks.ts";
import { HttpClient } from "./support/http-client.ts";

let dir: string;
let smtp: SMTPServer;
let smtpPort: number;
let testDatabase: TestDatabase | undefined;
let server: ServerProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "superlists-email-faults-"));
  // Like a real provider: authentication required, and only with the right password.
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (auth, _session, callback) =>
      auth.password === "right" ? callback(null, { user: auth.username }) : callback(new Error("Invalid credentials")),
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.stop();
  await testDatabase?.drop();
  server = undefined;
  testDatabase = undefined;
});

async function start(email: Record<string, string>): Promise<ServerProcess> {
  testDatabase = await createTestDatabase();
  server = await startServerProcess({
    SUPERLISTS_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: testDatabase.url,
    ...email,
  });
  return server;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function requestLoginEmail(running: ServerProcess, email: string) {
  const client = new HttpClient(running.url);
  const response = await client.post("/accounts/send_login_email", { email });
  expect(response.status).toBe(302);
  const home = await client.get("/");
  expect(home.status).toBe(200);
  return { client, flash: flashAlert(await home.text()) };
}

async function usableTokens(): Promise<number> {
  const database = openDatabase(parseDatabaseUrl(testDatabase?.url ?? ""), { poolSize: 1 });
  try {
    const rows = await database.db.selectFrom("login_tokens").select("email").where("used_at", "is", null).execute();
    return rows.length;
  } finally {
    await database.db.destroy();
  }
}

describe("the mail server fails", () => {
  test.each([
    ["is down", async () => ({ EMAIL_PORT: String(await closedPort()) }), /ECONNREFUSED/],
    ["refuses the password (535)", async () => ({ EMAIL_HOST_USER: "app", EMAIL_PASSWORD: "wrong" }), /535/],
    ["demands authentication the app does not offer (530)", async () => ({}), /530/],
  ])(
    "it %s: a clear message, the error logged with the request id, no token left, still serving",
    async (_, extra, expected) => {
      const running = await start({
        EMAIL_BACKEND: "smtp",
        EMAIL_HOST: "127.0.0.1",
        EMAIL_PORT: String(smtpPort),
        ...(await extra()),
      });
      const { flash } = await requestLoginEmail(running, "user@example.com");
      expect(flash).toEqual({ level: "warning", text: escapeHtml(SEND_FAILED_MESSAGE) });

      const failure = await running.waitForLog((line) => line.msg === "could not send the login email");
      expect(failure.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(failure.err)).toMatch(expected);
      expect(running.logLines().filter((line) => line.msg === "unhandled error")).toEqual([]);
      expect(await usableTokens()).toBe(0);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect(running.child.exitCode).toBeNull();
    },
  );
});

describe("the mail server answers slowly, each answer well within its inactivity timeouts", () => {
  let slow: SMTPServer;
  let slowPort: number;
  const delivered: string[] = [];
  // Each step waits a while before answering: no single wait is long enough to trip an
  // inactivity timeout, but together they take longer than the send's deadline below.
  const SLOW_ANSWER_MS = 400;
  const later = (answer: () => void) => setTimeout(answer, SLOW_ANSWER_MS);

  beforeAll(async () => {
    slow = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (auth, _session, callback) => later(() => callback(null, { user: auth.username })),
      onMailFrom: (_address, _session, callback) => later(() => callback()),
      onRcptTo: (_address, _session, callback) => later(() => callback()),
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on("end", () => {
          delivered.push(...session.envelope.rcptTo.map((recipient) => recipient.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    slowPort = (slow.server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => slow.close(() => resolve())));

  const slowServer = () => ({
    EMAIL_BACKEND: "smtp",
    EMAIL_HOST: "127.0.0.1",
    EMAIL_PORT: String(slowPort),
    EMAIL_HOST_USER: "app",
    EMAIL_PASSWORD: "right",
  });

  test("the whole send has one deadline (EMAIL_SEND_TIMEOUT_SECONDS): then the clear message, the error logged", async () => {
    const running = await start({ ...slowServer(), EMAIL_SEND_TIMEOUT_SECONDS: "1" });
    const { flash } = await requestLoginEmail(running, "patient@example.com");
    expect(flash).toEqual({ level: "warning", text: escapeHtml(SEND_FAILED_MESSAGE) });
    const failure = await running.waitForLog((line) => line.msg === "could not send the login email");
    expect(failure.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(failure.err)).toMatch(/abort|timeout/i);
    expect(delivered).not.toContain("patient@example.com");
    expect(await usableTokens()).toBe(0);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });

  test("with the default deadline (30 s) the same slow server does deliver: the deadline, not the server, failed above", async () => {
    const running = await start(slowServer());
    const { flash } = await requestLoginEmail(running, "eventually@example.com");
    expect(flash).toEqual({
      level: "success",
      text: escapeHtml(CHECK_EMAIL_MESSAGE),
      detail: "We sent it to eventually@example.com.",
    });
    expect(delivered).toContain("eventually@example.com");
  });
});

describe("SIGTERM while login emails wait on a mail server that does not answer", () => {
  let stalled: SMTPServer;
  let stalledPort: number;
  let waiting = 0;

  beforeAll(async () => {
    // Takes each message and never answers it: the send waits on its deadline (30 s).
    stalled = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 1,
      onData: (stream) => {
        stream.resume();
        stream.on("end", () => {
          waiting++;
        });
      },
    });
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    stalledPort = (stalled.server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => stalled.close(() => resolve())));

  /** The flash message a redirect's Set-Cookie carries (JSON, signed). */
  const flashSet = (response: Response) => {
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("flash="));
    const signed = decodeURIComponent(cookie?.split(";")[0]?.slice("flash=".length) ?? "");
    return JSON.parse(signed.slice(0, signed.lastIndexOf("."))) as unknown;
  };

  test("every request is answered 'could not send, try again' before the grace ends, and the exit is 0", async () => {
    const running = await start({ EMAIL_BACKEND: "smtp", EMAIL_HOST: "127.0.0.1", EMAIL_PORT: String(stalledPort) });
    const clients = ["one", "two", "three"].map(() => new HttpClient(running.url));
    await Promise.all(clients.map((client) => client.get("/").then((page) => page.arrayBuffer())));
    const answers = Promise.all(
      clients.map((client, i) => client.post("/accounts/send_login_email", { email: `waiting${i}@example.com` })),
    );
    await expect.poll(() => waiting, { timeout: 10_000 }).toBe(3);

    running.child.kill("SIGTERM");
    for (const answer of await answers) {
      expect(answer.status).toBe(302);
      expect(flashSet(answer)).toEqual({ level: "warning", text: SEND_FAILED_MESSAGE, loginEmail: expect.any(String) });
    }
    expect(await running.exited).toBe(0);
    expect(running.logLines().filter((line) => line.msg === "could not send the login email")).toHaveLength(3);
    expect(await usableTokens()).toBe(0);
  });
});

describe("the email capture directory cannot be written", () => {
  test("the login email still goes out and its link logs the user in; the capture error is logged", async () => {
    const outbox = join(dir, "outbox");
    const blocker = join(dir, "capture-is-a-file");
    writeFileSync(blocker, "");
    const running = await start({ EMAIL_BACKEND: "file", EMAIL_FILE_DIR: outbox, EMAIL_CAPTURE_DIR: blocker });

    const { client, flash } = await requestLoginEmail(running, "captured@example.com");
    expect(flash).toEqual({
      level: "success",
      text: escapeHtml(CHECK_EMAIL_MESSAGE),
      detail: "We sent it to captured@example.com.",
    });
    const failure = await running.waitForLog((line) => line.msg === "could not write the email capture file");
    expect(failure.captureDir).toBe(blocker);
    expect(JSON.stringify(failure.err)).toMatch(/EEXIST|ENOTDIR/);

    const [message] = readdirSync(outbox).filter((name) => name.endsWith(".json"));
    const { text } = JSON.parse(readFileSync(join(outbox, message ?? ""), "utf8")) as { text: string };
    expect((await client.get(text.split("\n").at(-1) ?? "")).status).toBe(302);
    expect(await (await client.get("/")).text()).toContain("Logged in as captured@example.com");
  });
});
