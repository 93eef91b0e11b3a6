// Opening a SQLite file while another process holds its write lock, as when two
// servers (or a server and the CLI) start on one fresh file and one of them is
// migrating: the second waits for the lock instead of failing to start.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openSqlite } from "../../src/db/sqlite-adapter.ts";

let directory: string;
let path: string;
let other: DatabaseSync;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "superlists-sqlite-open-"));
  path = join(directory, "db.sqlite3");
  // Another process's connection: a new file (not yet in WAL mode), in the middle of a write.
  other = new DatabaseSync(path);
  other.exec("CREATE TABLE migrations_in_progress (name TEXT)");
  other.exec("BEGIN IMMEDIATE");
});
afterEach(() => {
  other.close();
  rmSync(directory, { recursive: true, force: true });
});

test("opening the file while another connection holds the write lock waits for it, then uses WAL", async () => {
  const opening = openSqlite(path, { busyTimeoutMs: 5000 });
  other.exec("INSERT INTO migrations_in_progress VALUES ('0001')");
  other.exec("COMMIT");
  const database = await opening;
  try {
    expect(database.prepare("PRAGMA journal_mode").all([])).toEqual([{ journal_mode: "wal" }]);
    expect(database.prepare("SELECT name FROM migrations_in_progress").all([])).toEqual([{ name: "0001" }]);
  } finally {
    database.close();
  }
});

test("a lock held for longer than busy_timeout still fails, with SQLite's own message", async () => {
  await expect(openSqlite(path, { busyTimeoutMs: 100 })).rejects.toThrow("database is locked");
});
