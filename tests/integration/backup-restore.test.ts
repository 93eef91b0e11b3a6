// `superlists backup` copies a live database while a server keeps writing to it;
// `superlists restore` puts such a copy into another database, which a server then
// serves in a consistent state. Restore refuses what is not a backup, asks before
// replacing data (unless --no-input), and is allowed in production, logged at warn.
// On SQLite (VACUUM INTO) by default, on PostgreSQL (pg_dump/pg_restore) with TEST_DATABASE_URL.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDatabaseUrl } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { HttpClient } from "../hardening/support/http-client.ts";
import { listIdFrom, tableRows } from "../support/html.ts";
import { LATEST_MIGRATION } from "../support/migrations.ts";
import { rowCounts } from "../support/row-counts.ts";
import { runCli } from "../support/run-cli.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const WRITERS = 4;

let directory: string;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "superlists-backup-"));
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(directory, { recursive: true, force: true });
});

/** The server the backups are taken from, on the source database. */
const running = serverOnTestDatabase("all", () => ({ EMAIL_BACKEND: "memory" }));

const testEnv = (url: string) => ({ SUPERLISTS_ENV: "test", DATABASE_URL: url });

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  return database;
}

async function dataIn(url: string): Promise<Record<string, number>> {
  const database = openDatabase(parseDatabaseUrl(url));
  try {
    return await rowCounts(database.db);
  } finally {
    await database.db.destroy();
  }
}

/** The item texts on a list page, checking they are numbered 1, 2, 3… */
async function itemsOnPage(baseUrl: string, listPath: string): Promise<string[]> {
  const response = await new HttpClient(baseUrl).get(listPath);
  expect(response.status).toBe(200);
  const rows = tableRows(await response.text());
  expect(rows.map((row) => row.slice(0, row.indexOf(": ")))).toEqual(rows.map((_, index) => `${index + 1}`));
  return rows.map((row) => row.slice(row.indexOf(": ") + 2));
}

test("a backup taken while the server writes restores into an empty database that a server then serves, consistent", async () => {
  const client = new HttpClient(running().server.url);
  const created = await client.post("/lists/new", { text: "Item start" });
  const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;
  const acknowledged: string[] = [];
  const attempted = new Set(["Item start"]);
  let stop = false;
  const writer = async (index: number) => {
    for (let n = 0; !stop; n++) {
      const text = `Item ${index}-${n}`;
      attempted.add(text);
      const response = await client.post(listPath, { text });
      await response.arrayBuffer();
      if (response.status === 302) acknowledged.push(text);
    }
  };
  const writing = Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
  let backup: Awaited<ReturnType<typeof runCli>>;
  let acknowledgedBeforeBackup: string[];
  const backupFile = join(directory, "live-backup");
  try {
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(20);
    acknowledgedBeforeBackup = [...acknowledged];
    backup = await runCli(["backup", backupFile], testEnv(running().database.url));
    // The server kept taking writes while (and after) the backup ran.
    const acknowledgedAfterBackup = acknowledged.length;
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(acknowledgedAfterBackup);
  } finally {
    stop = true;
    await writing;
  }
  expect(backup.code, backup.stderr).toBe(0);
  expect(backup.stdout).toMatch(
    running().database.url.startsWith("postgres") ? /\(pg_dump, custom format\)\n$/ : /\(VACUUM INTO\)\n$/,
  );

  const target = await freshDatabase();
  const restored = await runCli(["restore", backupFile, "--no-input"], testEnv(target.url));
  expect(restored.code, restored.stderr).toBe(0);
  expect(restored.stdout).toMatch(/^restored .* into the (SQLite|PostgreSQL) database /);
  expect(restored.stderr).toMatch(/"level":40,.*"msg":"database restored from a backup: all previous data replaced"/);

  const restoredServer = await startServerProcess({ ...testEnv(target.url), EMAIL_BACKEND: "memory" });
  try {
    expect((await fetch(`${restoredServer.url}/readyz`)).status).toBe(200);
    const items = await itemsOnPage(restoredServer.url, listPath);
    expect(new Set(items).size).toBe(items.length);
    for (const text of acknowledgedBeforeBackup) expect(items).toContain(text);
    for (const text of items) expect(attempted.has(text), text).toBe(true);
    // And it takes new writes.
    expect((await new HttpClient(restoredServer.url).post(listPath, { text: "After the restore" })).status).toBe(302);
  } finally {
    await restoredServer.stop();
  }
}, 90_000);

describe("restoring", () => {
  let backupFile: string;
  beforeAll(async () => {
    const client = new HttpClient(running().server.url);
    await client.post("/lists/new", { text: "A list to restore" });
    backupFile = join(directory, "quiet-backup");
    const backup = await runCli(["backup", backupFile], testEnv(running().database.url));
    if (backup.code !== 0) throw new Error(backup.stderr);
  });

  test("without --no-input it asks, and anything but 'yes' changes nothing", async () => {
    const target = await freshDatabase();
    expect((await runCli(["migrate"], testEnv(target.url))).code).toBe(0);
    const result = await runCli(["restore", backupFile], testEnv(target.url), { input: "no\n" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /This replaces ALL data in the .* Type 'yes' to continue: superlists: restore cancelled\n$/,
    );
    expect(Object.values(await dataIn(target.url)).every((count) => count === 0)).toBe(true);
  });

  test("is allowed in production, and logged at warn", async () => {
    const target = await freshDatabase();
    const result = await runCli(["restore", backupFile, "--no-input"], {
      SUPERLISTS_ENV: "production",
      DATABASE_URL: target.url,
      SECRET_KEY: "a-production-secret-key-of-at-least-32-characters",
      ALLOWED_HOSTS: "superlists.example.com",
      EMAIL_BACKEND: "file",
      EMAIL_FILE_DIR: directory,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/"level":40,"time":\d+,"role":"production",.*"msg":"database restored from a backup/);
    expect((await dataIn(target.url)).lists).toBeGreaterThan(0);
  });
});

test("restore refuses a file that is not a backup, with one line, and leaves the database alone", async () => {
  const target = await freshDatabase();
  expect((await runCli(["migrate"], testEnv(target.url))).code).toBe(0);
  const notABackup = join(directory, "not-a-backup");
  writeFileSync(notABackup, "these are not the bytes you are looking for\n");
  const result = await runCli(["restore", notABackup, "--no-input"], testEnv(target.url));
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^superlists: .*(not a SQLite database|pg_restore failed).*\n$/);
  expect(result.stderr.split("\n")).toHaveLength(2);
  expect((await runCli(["info"], testEnv(target.url))).stdout).toContain(`"schemaVersion":"${LATEST_MIGRATION}"`);
});
