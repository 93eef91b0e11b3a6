// Another connection holds the database's write lock for longer than the app
// waits (a long CLI command, a migration, a stuck transaction): writes get a
// clear 503 "try again" page with Retry-After, reads keep working, nothing is
// half-stored, and the same form works once the lock is gone.
import { DatabaseSync } from "node:sqlite";
import { Kysely, SqliteDialect } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, expect, test } from "vitest";
import { CHECK_EMAIL_MESSAGE } from "../../src/accounts/account-routes.ts";
import { createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import type { Schema } from "../../src/db/schema.ts";
import { openSqlite } from "../../src/db/sqlite-adapter.ts";
import { memoryMailer } from "../../src/email/mailers.ts";
import { listItems } from "../../src/lists/list-store.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { flashAlert, listIdFrom, tableRows } from "../support/html.ts";
import { TestClient } from "../support/test-client.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { snapshotRows } from "./support/db-snapshot.ts";
import { errorMessage, escapeHtml } from "./support/html-checks.ts";

/** How long the app waits for a lock here: short, so a held lock fails fast instead of after the default 5 s. */
const LOCK_WAIT_MS = 100;

type Lock = { release: () => Promise<void> };

let testDatabase: TestDatabase;
let config: Config;
let database: Database;
let logs: LogLine[];
let client: TestClient;

/** The real app on a database whose lock wait is LOCK_WAIT_MS (SQLite busy_timeout, PostgreSQL lock_timeout). */
beforeEach(async () => {
  testDatabase = await createTestDatabase();
  config = loadConfig({ SUPERLISTS_ENV: "test", DATABASE_URL: testDatabase.url, EMAIL_BACKEND: "memory" });
  if (config.database.kind === "sqlite") {
    const { path } = config.database;
    const dialect = new SqliteDialect({ database: async () => openSqlite(path, { busyTimeoutMs: LOCK_WAIT_MS }) });
    database = { db: new Kysely<Schema>({ dialect }), kind: "sqlite" };
  } else {
    await adminQuery(config.database.url, `ALTER DATABASE "${databaseName()}" SET lock_timeout = ${LOCK_WAIT_MS}`);
    database = openDatabase(config.database);
  }
  await migrateToLatest(database);
  const captured = capturedLogs();
  logs = captured.lines;
  const app = createApp({ config, database, logger: captured.logger, mailer: memoryMailer() });
  client = new TestClient(app, config.sessionCookieName);
});
afterEach(async () => {
  await database.db.destroy();
  await testDatabase.drop();
});

function databaseName(): string {
  return config.database.kind === "postgres" ? new URL(config.database.url).pathname.slice(1) : "";
}

async function adminQuery(url: string, query: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(query);
  } finally {
    await admin.end();
  }
}

/** Another connection takes the write lock on every table and keeps it until released. */
async function holdWriteLock(): Promise<Lock> {
  if (config.database.kind === "sqlite") {
    const other = new DatabaseSync(config.database.path);
    other.exec("BEGIN IMMEDIATE");
    return {
      release: async () => {
        other.exec("ROLLBACK");
        other.close();
      },
    };
  }
  const other = new pg.Client({ connectionString: config.database.url });
  await other.connect();
  await other.query("BEGIN");
  // EXCLUSIVE blocks every write but still lets readers in, like SQLite's write lock under WAL.
  await other.query("LOCK TABLE users, lists, items, list_shares, login_tokens, sessions IN EXCLUSIVE MODE");
  return {
    release: async () => {
      await other.query("ROLLBACK");
      await other.end();
    },
  };
}

async function expectTryAgainPage(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
  const page = await response.text();
  expect(errorMessage(page)).toMatch(/try again/i);
  expect(page).not.toMatch(/at .*\.ts:\d+|SQLITE|lock_timeout|canceling statement/i);
}

test("while the lock is held, adding an item, starting a list and asking for a login email each get the 503 'try again' page; reads still work; nothing is half-stored", async () => {
  const created = await client.post("/lists/new", { text: "Before the lock" });
  const id = listIdFrom(created.headers.get("Location"));
  const before = await snapshotRows(database.db);

  const lock = await holdWriteLock();
  try {
    const page = await client.get(`/lists/${id}/`);
    expect(page.status).toBe(200);
    expect(tableRows(await page.text())).toEqual(["1: Before the lock"]);

    await expectTryAgainPage(await client.post(`/lists/${id}/`, { text: "During the lock" }));
    await expectTryAgainPage(await client.post("/lists/new", { text: "A new list during the lock" }));
    await expectTryAgainPage(await client.post("/accounts/send_login_email", { email: "busy@example.com" }));
  } finally {
    await lock.release();
  }

  expect(await snapshotRows(database.db)).toEqual(before);
  const busyLines = logs.filter((line) => line.msg === "database busy: the user was asked to try again");
  expect(busyLines).toHaveLength(3);
  expect(busyLines.every((line) => typeof line.requestId === "string" && line.err !== undefined)).toBe(true);
  expect(logs.some((line) => line.msg === "unhandled error")).toBe(false);
});

test("once the lock is released, the user's retry of the same form succeeds", async () => {
  const id = listIdFrom((await client.post("/lists/new", { text: "First" })).headers.get("Location"));
  const lock = await holdWriteLock();
  let refused: Response;
  try {
    refused = await client.post(`/lists/${id}/`, { text: "Retried item" });
  } finally {
    await lock.release();
  }
  await expectTryAgainPage(refused);

  expect((await client.post(`/lists/${id}/`, { text: "Retried item" })).status).toBe(302);
  expect(await listItems(database.db, id)).toEqual(["First", "Retried item"]);
  expect((await client.post("/accounts/send_login_email", { email: "retry@example.com" })).status).toBe(302);
  expect(flashAlert(await (await client.get("/")).text())?.text).toBe(escapeHtml(CHECK_EMAIL_MESSAGE));
});
