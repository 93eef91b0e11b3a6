// The commands that wipe data, impersonate users or read their email refuse to
// run on production, whatever flags or input they are given, and touch nothing.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createSession } from "../../src/accounts/sessions.ts";
import type { Database } from "../../src/db/database.ts";
import { writeMessageFile } from "../../src/email/message-files.ts";
import { createList } from "../../src/lists/list-store.ts";
import { LATEST_MIGRATION } from "../support/migrations.ts";
import { rowCounts } from "../support/row-counts.ts";
import { runCli } from "../support/run-cli.ts";
import { type MigratedTestDatabase, openMigratedTestDatabase } from "../support/test-database.ts";

let testDatabase: MigratedTestDatabase;
let database: Database;
let emailDir: string;
let production: Record<string, string>;

beforeAll(async () => {
  testDatabase = await openMigratedTestDatabase();
  database = testDatabase.database;
  await createSession(database.db, "real.user@gmail.com", 3600);
  await createList(database.db, "real.user@gmail.com", "Precious data");
  emailDir = mkdtempSync(join(tmpdir(), "superlists-production-email-"));
  await writeMessageFile(emailDir, { from: "noreply@superlists", to: "real.user@gmail.com", subject: "s", text: "t" });
  production = {
    SUPERLISTS_ENV: "production",
    DATABASE_URL: testDatabase.url,
    SECRET_KEY: "a-production-secret-key-of-at-least-32-characters",
    ALLOWED_HOSTS: "superlists.example.com",
    EMAIL_BACKEND: "file",
    EMAIL_FILE_DIR: emailDir,
    EMAIL_CAPTURE_DIR: emailDir,
  };
});
afterAll(async () => {
  await testDatabase.close();
  rmSync(emailDir, { recursive: true, force: true });
});

const REFUSALS = [
  { args: ["flush"] },
  { args: ["flush"], input: "yes\n" },
  { args: ["flush", "--no-input"] },
  { args: ["create-session", "attacker@example.com"] },
  { args: ["create-session", "real.user@gmail.com"] },
  { args: ["create-session", "not-an-email"] },
  { args: ["emails"] },
  { args: ["emails", "--last"] },
  { args: ["emails", "--json"] },
  { args: ["emails", "--to", "real.user@gmail.com", "--last", "--json"] },
].map((refusal) => ({ ...refusal, title: `${refusal.args.join(" ")}${refusal.input ? " (typing yes)" : ""}` }));

test.for(REFUSALS)("superlists $title refuses: exit 3, one line, nothing touched", async ({ args, input }) => {
  const before = await rowCounts(database.db);
  const result = await runCli(args, production, input === undefined ? {} : { input });
  expect(result).toEqual({
    code: 3,
    stdout: "",
    stderr: `superlists: ${args[0]} refuses to run when SUPERLISTS_ENV=production\n`,
  });
  expect(await rowCounts(database.db)).toEqual(before);
  expect(before).toMatchObject({ users: 1, sessions: 1, lists: 1, items: 1 });
  expect(readdirSync(emailDir)).toHaveLength(1);
});

test("the role set in a .env file counts too", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "superlists-dotenv-"));
  try {
    const { SUPERLISTS_ENV: _, ...withoutRole } = production;
    writeFileSync(join(cwd, ".env"), "SUPERLISTS_ENV=production\n");
    const result = await runCli(["flush", "--no-input"], withoutRole, { cwd });
    expect(result.code).toBe(3);
    expect(await rowCounts(database.db)).toMatchObject({ users: 1, sessions: 1, lists: 1, items: 1 });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test("the read-only commands still work on production: the test fixtures ask `info` first", async () => {
  const info = await runCli(["info"], production);
  expect(info.code).toBe(0);
  expect(JSON.parse(info.stdout)).toMatchObject({ role: "production", schemaVersion: LATEST_MIGRATION });
  const check = await runCli(["check"], production);
  expect(check.code).toBe(0);
});
