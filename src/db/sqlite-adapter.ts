// Adapts Node's built-in `node:sqlite` to the small interface Kysely's
// SqliteDialect expects, so SQLite needs no native addon.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { setTimeout as pause } from "node:timers/promises";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { isDatabaseBusy } from "./errors.ts";

const STATEMENT_CACHE_SIZE = 200;

type SqliteValue = null | number | bigint | string | NodeJS.ArrayBufferView;

export type SqliteTuning = {
  /** Milliseconds a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs: number;
};

/**
 * Opens the database tuned for a web server:
 * - WAL: readers never block the writer, and a commit is one sequential append.
 * - synchronous=NORMAL: with WAL this stays consistent after a crash; a power
 *   loss may drop the last commits but never corrupts the file.
 * - busy_timeout: concurrent processes (server + CLI) wait instead of failing.
 * - foreign_keys on: SQLite leaves them off by default.
 */
export async function openSqlite(
  path: string,
  tuning: SqliteTuning = { busyTimeoutMs: 5000 },
): Promise<SqliteDatabase> {
  const database = new DatabaseSync(path);
  try {
    database.exec(`PRAGMA busy_timeout = ${Math.trunc(tuning.busyTimeoutMs)}`);
    if (path !== ":memory:") await switchToWal(database, tuning.busyTimeoutMs);
    database.exec("PRAGMA synchronous = NORMAL");
    database.exec("PRAGMA foreign_keys = ON");
  } catch (error) {
    // A file that cannot be set up (read-only storage, say) must not stay open: the next
    // request tries again, and an unmount waits for every open file.
    database.close();
    throw error;
  }
  return adapt(database);
}

/**
 * Switching a new file to WAL needs an exclusive lock, and while another connection
 * holds the write lock SQLite answers "database is locked" at once instead of waiting
 * (waiting could deadlock). Two processes starting on one fresh file (scale-out, a
 * server and the CLI) meet exactly that while the first one migrates: retry for as
 * long as busy_timeout would have waited.
 */
async function switchToWal(database: DatabaseSync, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
    try {
      database.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (error) {
      if (!isDatabaseBusy(error) || Date.now() >= deadline) throw error;
    }
    await pause(delayMs);
  }
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  const values = (parameters: ReadonlyArray<unknown>) => parameters as SqliteValue[];
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...values(parameters)),
    run: (parameters) => statement.run(...values(parameters)),
    iterate: (parameters) => statement.iterate(...values(parameters)),
  };
}

/**
 * SQLite ends a transaction by itself when a statement in it fails with SQLITE_FULL,
 * IOERR, BUSY or NOMEM; Kysely's ROLLBACK after that would fail ("no transaction is
 * active") and replace the error that says what went wrong (a full disk) with its own.
 */
const NOTHING_TO_ROLL_BACK: SqliteStatement = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

function adapt(database: DatabaseSync): SqliteDatabase {
  // Prepared and adapted once, then reused: Kysely compiles the same SQL text for the
  // same query shape (and columns() describes the statement anew on every call).
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql: string): SqliteStatement => {
      if (sql === "rollback" && !database.isTransaction) return NOTHING_TO_ROLL_BACK;
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = adaptStatement(database.prepare(sql));
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
