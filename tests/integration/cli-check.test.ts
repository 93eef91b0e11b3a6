// `superlists check`: one line per check, non-zero exit on any failure; --deploy
// catches the chapter's missing EMAIL_PASSWORD before a user does, and --smtp
// really logs in to an SMTP server (one started here, requiring AUTH).
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDatabaseUrl } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { LATEST_MIGRATION, MIGRATION_NAMES } from "../support/migrations.ts";
import { runCli } from "../support/run-cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SMTP_USER = "noreply@superlists.example.com";
const SMTP_PASSWORD = "correct horse battery staple";

let testDatabase: TestDatabase;
let smtp: SMTPServer;
let smtpPort: number;
const loginAttempts: { username: string | null | undefined; password: string | null | undefined }[] = [];
/** Messages the server accepted: recipients and raw text. */
const delivered: { to: string[]; raw: string }[] = [];
const REFUSED_RECIPIENT = "refused@example.com";

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const database = openDatabase(parseDatabaseUrl(testDatabase.url));
  await migrateToLatest(database);
  await database.db.destroy();

  smtp = new SMTPServer({
    authOptional: false,
    // Plain-text AUTH on 127.0.0.1 is fine for a test server; the client is told not to use TLS.
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      loginAttempts.push({ username: auth.username, password: auth.password });
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED_RECIPIENT) callback(new Error("Mailbox unavailable"));
      else callback();
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((recipient) => recipient.address);
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        delivered.push({ to, raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
  await testDatabase.drop();
});

const testEnv = () => ({ SUPERLISTS_ENV: "test", DATABASE_URL: testDatabase.url, EMAIL_BACKEND: "console" });

/** A complete production configuration; tests take pieces away. */
const productionEnv = () => ({
  SUPERLISTS_ENV: "production",
  DATABASE_URL: testDatabase.url,
  SECRET_KEY: "a-production-secret-key-of-at-least-32-characters",
  ALLOWED_HOSTS: "superlists.example.com",
  EMAIL_BACKEND: "smtp",
  EMAIL_HOST: "127.0.0.1",
  EMAIL_PORT: String(smtpPort),
  EMAIL_HOST_USER: SMTP_USER,
  EMAIL_PASSWORD: SMTP_PASSWORD,
});

function lines(stdout: string): string[] {
  return stdout.trimEnd().split("\n");
}

function failures(stdout: string): string[] {
  return lines(stdout).filter((line) => line.startsWith("FAIL"));
}

describe("check", () => {
  test("a reachable, migrated database passes: one ok line per check, exit 0", async () => {
    const result = await runCli(["check"], testEnv());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(lines(result.stdout)).toEqual([
      expect.stringMatching(/^ok {3}database: /),
      `ok   migrations: schema at ${LATEST_MIGRATION}`,
    ]);
  });

  test("pending migrations fail the check", async () => {
    const empty = await createTestDatabase();
    try {
      const result = await runCli(["check"], { ...testEnv(), DATABASE_URL: empty.url });
      expect(result.code).toBe(1);
      expect(failures(result.stdout)).toEqual([`FAIL migrations: unapplied migrations: ${MIGRATION_NAMES.join(", ")}`]);
      expect(result.stderr).toBe("superlists: 1 check failed\n");
    } finally {
      await empty.drop();
    }
  });

  test("an unreachable database fails the check with one line", async () => {
    const gone = await createTestDatabase();
    await gone.drop();
    const result = await runCli(["check"], { ...testEnv(), DATABASE_URL: gone.url });
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual([expect.stringMatching(/^FAIL database: cannot reach the database: /)]);
  });
});

describe("check --deploy", () => {
  test("a complete production configuration passes", async () => {
    const result = await runCli(["check", "--deploy"], productionEnv());
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const checks = [
      "role",
      "secret-key",
      "allowed-hosts",
      "email-backend",
      "email-user",
      "email-password",
      "metrics-host",
      "database",
      "migrations",
    ];
    expect(lines(result.stdout).map((line) => line.match(/^ok {3}([a-z-]+): /)?.[1])).toEqual(checks);
  });

  test("the chapter's bug: no EMAIL_PASSWORD fails, naming it, before any user tries to log in", async () => {
    const { EMAIL_PASSWORD: _, ...env } = productionEnv();
    const result = await runCli(["check", "--deploy"], env);
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual([expect.stringMatching(/^FAIL email-password: EMAIL_PASSWORD is empty/)]);
    expect(result.stderr).toBe("superlists: 1 check failed\n");
  });

  test("no EMAIL_HOST_USER fails too: the password would never be used", async () => {
    const { EMAIL_HOST_USER: _, ...env } = productionEnv();
    const result = await runCli(["check", "--deploy"], env);
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual([expect.stringMatching(/^FAIL email-user: EMAIL_HOST_USER is empty/)]);
  });

  test.each([
    ["console", "print login links to the logs"],
    ["memory", "keep login emails in memory, unsent"],
  ])("EMAIL_BACKEND=%s fails in production mode: login links are bearer tokens", async (backend, why) => {
    for (const role of ["production", "staging"]) {
      const result = await runCli(["check", "--deploy"], {
        ...productionEnv(),
        SUPERLISTS_ENV: role,
        EMAIL_BACKEND: backend,
      });
      expect(result.code).toBe(1);
      expect(failures(result.stdout)).toEqual([
        `FAIL email-backend: EMAIL_BACKEND=${backend} is refused when SUPERLISTS_ENV=${role}: it would ${why} (use smtp, or file)`,
      ]);
    }
  });

  test("staging's smtp with an email capture directory passes", async () => {
    const result = await runCli(["check", "--deploy"], {
      ...productionEnv(),
      SUPERLISTS_ENV: "staging",
      EMAIL_CAPTURE_DIR: "/tmp/superlists-never-written",
    });
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });

  test("a short secret key fails", async () => {
    const result = await runCli(["check", "--deploy"], { ...productionEnv(), SECRET_KEY: "too-short" });
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual(["FAIL secret-key: SECRET_KEY is shorter than 32 characters"]);
  });

  test("metrics on a non-loopback METRICS_HOST fail unless METRICS_ALLOW_REMOTE says it is meant", async () => {
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "metrics.internal"]) {
      const env = { ...productionEnv(), METRICS_PORT: "9464", METRICS_HOST: host };
      const result = await runCli(["check", "--deploy"], env);
      expect(result.code, host).toBe(1);
      expect(failures(result.stdout)).toEqual([
        `FAIL metrics-host: METRICS_HOST=${host} is not a loopback address: other machines can read the metrics (set METRICS_ALLOW_REMOTE=1 if a firewall keeps them private)`,
      ]);
      const allowed = await runCli(["check", "--deploy"], { ...env, METRICS_ALLOW_REMOTE: "1" });
      expect(allowed).toMatchObject({ code: 0, stderr: "" });
      expect(lines(allowed.stdout)).toContain(
        `ok   metrics-host: METRICS_HOST=${host} is reachable from other machines (METRICS_ALLOW_REMOTE=1)`,
      );
    }
  });

  test("metrics on a loopback METRICS_HOST pass, and without METRICS_PORT the host does not matter", async () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1", "localhost"]) {
      const result = await runCli(["check", "--deploy"], {
        ...productionEnv(),
        METRICS_PORT: "9464",
        METRICS_HOST: host,
      });
      expect(result, host).toMatchObject({ code: 0, stderr: "" });
    }
    const off = await runCli(["check", "--deploy"], { ...productionEnv(), METRICS_HOST: "0.0.0.0" });
    expect(off).toMatchObject({ code: 0, stderr: "" });
    expect(lines(off.stdout)).toContain("ok   metrics-host: METRICS_PORT is not set: no metrics listener");
  });

  test("a development configuration fails each production setting on its own line", async () => {
    const result = await runCli(["check", "--deploy"], testEnv());
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual([
      expect.stringMatching(/^FAIL role: SUPERLISTS_ENV=test /),
      "FAIL secret-key: SECRET_KEY is the development default",
      "FAIL allowed-hosts: ALLOWED_HOSTS is not set",
    ]);
    expect(result.stderr).toBe("superlists: 3 checks failed\n");
  });
});

describe("check --smtp", () => {
  test("logs in to the SMTP server with the configured user and password", async () => {
    loginAttempts.length = 0;
    const result = await runCli(["check", "--deploy", "--smtp"], productionEnv());
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(lines(result.stdout)).toContain(`ok   smtp: logged in to 127.0.0.1:${smtpPort}`);
    expect(loginAttempts).toEqual([{ username: SMTP_USER, password: SMTP_PASSWORD }]);
  });

  test.each([
    ["a wrong password", { EMAIL_PASSWORD: "wrong" }],
    ["no password", { EMAIL_PASSWORD: "" }],
    ["no user", { EMAIL_HOST_USER: "" }],
  ])("%s: a FAIL line and exit 1", async (_, change) => {
    const result = await runCli(["check", "--smtp"], { ...productionEnv(), ...change });
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual([expect.stringMatching(/^FAIL smtp: /)]);
    expect(result.stderr).toBe("superlists: 1 check failed\n");
  });

  test("an SMTP server that does not answer: a FAIL line and exit 1", async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(resolve));
    const result = await runCli(["check", "--smtp"], { ...productionEnv(), EMAIL_PORT: String(port) });
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual([
      expect.stringMatching(new RegExp(`^FAIL smtp: SMTP login to 127.0.0.1:${port} failed: `)),
    ]);
  });

  test("--send-test-email sends one real message through the server, logged in as the configured user", async () => {
    loginAttempts.length = 0;
    delivered.length = 0;
    const result = await runCli(["check", "--smtp", "--send-test-email", "Ops@Example.com"], productionEnv());
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(lines(result.stdout)).toContain(
      `ok   smtp-send: sent a test email to ops@example.com through 127.0.0.1:${smtpPort}`,
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.to).toEqual(["ops@example.com"]);
    expect(delivered[0]?.raw).toContain("Subject: Superlists test email");
    expect(loginAttempts.every((attempt) => attempt.username === SMTP_USER)).toBe(true);
  });

  test.each([
    ["the password is refused", { EMAIL_PASSWORD: "wrong" }, "ops@example.com", /535/],
    ["the recipient is refused", {}, REFUSED_RECIPIENT, /Mailbox unavailable/],
  ])("--send-test-email when %s: one FAIL line, exit 1", async (_, change, to, reason) => {
    delivered.length = 0;
    const result = await runCli(["check", "--send-test-email", to], { ...productionEnv(), ...change });
    expect(result.code).toBe(1);
    const [failure = ""] = failures(result.stdout);
    expect(failures(result.stdout)).toHaveLength(1);
    expect(failure).toMatch(
      new RegExp(`^FAIL smtp-send: sending a test email to ${to} through 127\\.0\\.0\\.1:${smtpPort} failed: `),
    );
    expect(failure).toMatch(reason);
    expect(result.stdout).not.toContain(SMTP_PASSWORD);
    expect(result.stderr).toBe("superlists: 1 check failed\n");
    expect(delivered).toEqual([]);
  });

  test("--send-test-email with another email backend fails: nothing real was sent", async () => {
    const result = await runCli(["check", "--send-test-email", "ops@example.com"], testEnv());
    expect(result.code).toBe(1);
    expect(failures(result.stdout)).toEqual(["FAIL smtp-send: EMAIL_BACKEND=console: no SMTP server to send through"]);
  });

  test("--send-test-email with a bad address: a usage error, exit 2", async () => {
    const result = await runCli(["check", "--send-test-email", "not an address"], productionEnv());
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "superlists: --send-test-email: not a valid email address: not an address\n",
    });
  });

  test("another email backend needs no SMTP server", async () => {
    const result = await runCli(["check", "--smtp"], testEnv());
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toContain("ok   smtp: EMAIL_BACKEND=console: no SMTP server used");
  });
});
