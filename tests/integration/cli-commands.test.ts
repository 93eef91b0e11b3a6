// The `superlists` bin as an operator runs it: stdout, stderr and exit code of
// each command, against a real database.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { DATA_TABLES } from "../../src/db/schema.ts";
import { memoryMailer } from "../../src/email/mailers.ts";
import { writeMessageFile } from "../../src/email/message-files.ts";
import { createList, listItems } from "../../src/lists/list-store.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { LATEST_MIGRATION, MIGRATION_NAMES } from "../support/migrations.ts";
import { rowCounts } from "../support/row-counts.ts";
import { runCli } from "../support/run-cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const COMMANDS = [
  "serve",
  "migrate",
  "create-session",
  "flush",
  "emails",
  "check",
  "info",
  "cleanup",
  "backup",
  "restore",
];
const SESSION_KEY = /^[A-Za-z0-9_-]{43}$/;

let testDatabase: TestDatabase;
let database: Database;
let app: ReturnType<typeof createApp>;
let env: Record<string, string>;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  env = { SUPERLISTS_ENV: "test", DATABASE_URL: testDatabase.url, EMAIL_BACKEND: "console", LOG_LEVEL: "silent" };
  const config = loadConfig({ ...env, EMAIL_BACKEND: "memory" });
  database = openDatabase(config.database);
  await migrateToLatest(database);
  app = createApp({ config, database, logger: createLogger(config), mailer: memoryMailer() });
});
afterAll(async () => {
  await database.db.destroy();
  await testDatabase.drop();
});

/** The home page of the app on the same database, as a browser holding `sessionKey` sees it. */
async function homePageWith(sessionKey: string): Promise<string> {
  const response = await app.request("http://testserver/", { headers: { Cookie: `sessionid=${sessionKey}` } });
  expect(response.status).toBe(200);
  return response.text();
}

describe("help and usage", () => {
  test("--help works for the program and every command, with exit 0", async () => {
    const results = await Promise.all([
      runCli(["--help"], env),
      ...COMMANDS.map((command) => runCli([command, "--help"], env)),
      runCli(["help", "flush"], env),
    ]);
    const [program, ...commands] = results;
    expect(program).toMatchObject({ code: 0, stderr: "" });
    for (const command of COMMANDS) expect(program?.stdout).toContain(command);
    for (const [index, result] of commands.entries()) {
      const command = index < COMMANDS.length ? COMMANDS[index] : "flush";
      expect(result, command).toMatchObject({ code: 0, stderr: "" });
      expect(result?.stdout, command).toContain(`Usage: superlists ${command}`);
    }
    // A process per command, all at once: on two busy cores that takes longer than one test usually may.
  }, 90_000);

  test("an unknown command or a missing argument is a usage error: exit 2", async () => {
    const unknown = await runCli(["nosuch"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command 'nosuch'$/m);
    const missing = await runCli(["create-session"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: missing required argument 'email'$/m);
  });
});

describe("migrate and info", () => {
  let fresh: TestDatabase;
  let freshEnv: Record<string, string>;
  beforeAll(async () => {
    fresh = await createTestDatabase();
    freshEnv = { ...env, DATABASE_URL: fresh.url };
  });
  afterAll(() => fresh.drop());

  test("info on an empty database: one JSON line, no schema version yet", async () => {
    const result = await runCli(["info"], { ...freshEnv, SESSION_COOKIE_NAME: "superlists_session" });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^\{[^\n]*\}\n$/);
    expect(JSON.parse(result.stdout)).toEqual({
      role: "test",
      database: database.kind,
      schemaVersion: null,
      pendingMigrations: MIGRATION_NAMES,
      sessionCookie: "superlists_session",
      loginTokenMaxAgeSeconds: 900,
    });
  });

  test("migrate applies the migrations once, then has nothing to apply", async () => {
    expect(await runCli(["migrate"], freshEnv)).toEqual({
      code: 0,
      stdout: `applied: ${MIGRATION_NAMES.join(", ")}\n`,
      stderr: "",
    });
    expect(await runCli(["migrate"], freshEnv)).toEqual({ code: 0, stdout: "no migrations to apply\n", stderr: "" });
    const info = JSON.parse((await runCli(["info"], freshEnv)).stdout);
    expect(info).toMatchObject({ schemaVersion: LATEST_MIGRATION, pendingMigrations: [] });
  });

  test("a database that cannot be opened: exit 1 and one line on stderr", async () => {
    const gone = await createTestDatabase();
    await gone.drop();
    const result = await runCli(["migrate"], { ...env, DATABASE_URL: gone.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^superlists: [^\n]+\n$/);
  });

  test("a bad configuration value: exit 2 and one line naming it", async () => {
    const result = await runCli(["info"], { ...env, PORT: "eighty" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^superlists: invalid configuration: PORT: [^\n]+\n$/);
  });
});

describe("create-session", () => {
  test("prints only a session key, which logs a browser in on a server using that database", async () => {
    const result = await runCli(["create-session", "  Edith@Example.com "], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const page = await homePageWith(result.stdout.trim());
    expect(page).toContain("Logged in as edith@example.com");
  });

  test("each call makes a new session for the same user", async () => {
    const first = (await runCli(["create-session", "twice@example.com"], env)).stdout.trim();
    const second = (await runCli(["create-session", "twice@example.com"], env)).stdout.trim();
    expect(first).toMatch(SESSION_KEY);
    expect(second).not.toBe(first);
    expect(await homePageWith(first)).toContain("Logged in as twice@example.com");
    expect(await homePageWith(second)).toContain("Logged in as twice@example.com");
  });

  test("a key the command did not print logs nobody in", async () => {
    expect(await homePageWith("A".repeat(43))).not.toContain("Logged in as");
  });

  test("an invalid email address: exit 2, one line, no user created", async () => {
    const before = await rowCounts(database.db);
    const result = await runCli(["create-session", "not-an-email"], env);
    expect(result).toEqual({ code: 2, stdout: "", stderr: "superlists: not a valid email address: not-an-email\n" });
    expect(await rowCounts(database.db)).toEqual(before);
  });

  test("on staging, only reserved @example.com test addresses", async () => {
    const staging = {
      ...env,
      SUPERLISTS_ENV: "staging",
      SECRET_KEY: "staging-secret-key-that-is-long-enough-0123456789",
      ALLOWED_HOSTS: "staging.example.com",
    };
    const before = await rowCounts(database.db);
    const refused = await runCli(["create-session", "someone@gmail.com"], staging);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^superlists: [^\n]*@example\.com[^\n]*\n$/);
    const lookalike = await runCli(["create-session", "someone@notexample.com"], staging);
    expect(lookalike.code).toBe(2);
    expect(await rowCounts(database.db)).toEqual(before);

    const allowed = await runCli(["create-session", "tester@example.com"], staging);
    expect(allowed.code).toBe(0);
    expect(await homePageWith(allowed.stdout.trim())).toContain("Logged in as tester@example.com");
  });
});

describe("flush", () => {
  let emailDir: string;
  let flushEnv: Record<string, string>;

  beforeAll(() => {
    emailDir = mkdtempSync(join(tmpdir(), "superlists-flush-email-"));
    flushEnv = { ...env, EMAIL_CAPTURE_DIR: emailDir };
  });
  afterAll(() => rmSync(emailDir, { recursive: true, force: true }));

  async function seed(): Promise<string> {
    await runCli(["create-session", "seeded@example.com"], env);
    const listId = await createList(database.db, "seeded@example.com", "Buy peacock feathers");
    await writeMessageFile(emailDir, { from: "noreply@superlists", to: "seeded@example.com", subject: "s", text: "t" });
    return listId;
  }

  test.each([
    ["answering no", "no\n"],
    ["answering anything but yes", "y\n"],
    ["closing stdin without an answer", undefined],
  ])("asks for confirmation; %s cancels with exit 1 and keeps everything", async (_, input) => {
    const listId = await seed();
    const before = await rowCounts(database.db);
    const result = await runCli(["flush"], flushEnv, input === undefined ? {} : { input });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Type 'yes' to continue");
    expect(result.stderr).toMatch(/superlists: flush cancelled\n$/);
    expect(await rowCounts(database.db)).toEqual(before);
    expect(await listItems(database.db, listId)).toEqual(["Buy peacock feathers"]);
    expect(readdirSync(emailDir)).not.toEqual([]);
  });

  test.each([
    ["answering yes", ["flush"], "yes\n"],
    ["with --no-input, asking nothing", ["flush", "--no-input"], undefined],
  ])("%s deletes every row and captured email, and keeps the schema", async (_, args, input) => {
    await seed();
    const before = await rowCounts(database.db);
    expect(Math.min(before.users ?? 0, before.sessions ?? 0, before.lists ?? 0, before.items ?? 0)).toBeGreaterThan(0);
    const result = await runCli(args, flushEnv, input === undefined ? {} : { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("all data deleted\n");
    if (input === undefined) expect(result.stderr).toBe("");
    expect(Object.values(await rowCounts(database.db))).toEqual(DATA_TABLES.map(() => 0));
    expect(readdirSync(emailDir)).toEqual([]);

    const info = JSON.parse((await runCli(["info"], env)).stdout);
    expect(info).toMatchObject({ schemaVersion: LATEST_MIGRATION, pendingMigrations: [] });
    const key = (await runCli(["create-session", "after-flush@example.com"], env)).stdout.trim();
    expect(await homePageWith(key)).toContain("Logged in as after-flush@example.com");
  });
});

describe("emails", () => {
  let emailDir: string;
  const link = (n: number) => `http://localhost:8000/accounts/login?token=token${n}`;

  beforeAll(async () => {
    emailDir = mkdtempSync(join(tmpdir(), "superlists-emails-"));
    const message = (to: string, n: number) => ({
      from: "noreply@superlists",
      to,
      subject: "Your login link for Superlists",
      text: `Hello,\n\nUse this link to log in:\n\n${link(n)}`,
    });
    // Written out of order: the command sorts by time, not by when files appeared.
    await writeMessageFile(emailDir, message("alice@example.com", 2), new Date("2030-01-01T10:02:00Z"));
    await writeMessageFile(emailDir, message("alice@example.com", 1), new Date("2030-01-01T10:01:00Z"));
    await writeMessageFile(emailDir, message("bob@example.com", 3), new Date("2030-01-01T10:03:00Z"));
  });
  afterAll(() => rmSync(emailDir, { recursive: true, force: true }));

  const captureEnv = () => ({ ...env, EMAIL_CAPTURE_DIR: emailDir });

  test("prints every captured email, newest first", async () => {
    const result = await runCli(["emails"], captureEnv());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect([...result.stdout.matchAll(/^To: (.+)$/gm)].map((match) => match[1])).toEqual([
      "bob@example.com",
      "alice@example.com",
      "alice@example.com",
    ]);
    expect(result.stdout.indexOf(link(3))).toBeLessThan(result.stdout.indexOf(link(2)));
    expect(result.stdout.indexOf(link(2))).toBeLessThan(result.stdout.indexOf(link(1)));
  });

  test("--to filters by recipient, whatever the case", async () => {
    const result = await runCli(["emails", "--to", "ALICE@example.com"], captureEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("bob@example.com");
    expect([...result.stdout.matchAll(/token(\d)/g)].map((match) => match[1])).toEqual(["2", "1"]);
  });

  test("--last prints the newest one, headers then body, so the last line is the login link", async () => {
    const result = await runCli(["emails", "--to", "alice@example.com", "--last"], captureEnv());
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "From: noreply@superlists",
      "To: alice@example.com",
      "Date: 2030-01-01T10:02:00.000Z",
      "Subject: Your login link for Superlists",
    ]);
    expect(lines.at(-1)).toBe(link(2));
    expect(result.stdout).not.toContain(link(1));
  });

  test("--json prints one JSON array, newest first", async () => {
    const all = await runCli(["emails", "--json"], captureEnv());
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^\[[^\n]*\]\n$/);
    const messages = JSON.parse(all.stdout) as { to: string; text: string; date: string }[];
    expect(messages.map((message) => message.date)).toEqual([
      "2030-01-01T10:03:00.000Z",
      "2030-01-01T10:02:00.000Z",
      "2030-01-01T10:01:00.000Z",
    ]);
    const last = JSON.parse(
      (await runCli(["emails", "--to", "alice@example.com", "--last", "--json"], captureEnv())).stdout,
    );
    expect(last).toHaveLength(1);
    expect(last[0].text.split("\n").at(-1)).toBe(link(2));
  });

  test("no email for the address: an empty JSON list, but --last fails with one line", async () => {
    expect(await runCli(["emails", "--to", "nobody@example.com", "--json"], captureEnv())).toEqual({
      code: 0,
      stdout: "[]\n",
      stderr: "",
    });
    expect(await runCli(["emails", "--to", "nobody@example.com", "--last"], captureEnv())).toEqual({
      code: 1,
      stdout: "",
      stderr: "superlists: no captured email to nobody@example.com\n",
    });
  });

  test("reads the file backend's directory when there is no capture directory", async () => {
    const result = await runCli(["emails", "--json"], { ...env, EMAIL_BACKEND: "file", EMAIL_FILE_DIR: emailDir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(3);
  });

  test("nowhere to read emails from: exit 2 with one line saying what to set", async () => {
    const result = await runCli(["emails"], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^superlists: [^\n]*EMAIL_CAPTURE_DIR[^\n]*\n$/);
  });
});
