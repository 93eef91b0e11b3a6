// What the server has learnt about its database from failed requests: whether its
// storage refuses writes (the readiness probe then says "not ready" until a write
// works again), and which failures were logged recently.
import { constants } from "node:fs";
import { access, statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { sql } from "kysely";
import type { Database } from "./database.ts";
import { RepeatedErrorLog } from "./repeated-error-log.ts";

export class DatabaseHealth {
  readonly errorLog = new RepeatedErrorLog();
  #storageFailing = false;

  /** A write failed because the storage refused it (read-only, full, I/O error). */
  storageFailed(): void {
    this.#storageFailing = true;
  }

  /**
   * False while writes are known to fail. Once one has, each call checks the storage
   * (SQLite: the file and its directory writable, some space free; a one-row write into
   * space the WAL already has can succeed on a full disk) and tries a write that changes
   * nothing; the failure is cleared when both pass, so readiness comes back by itself
   * when the storage does.
   */
  async writable(database: Database): Promise<boolean> {
    if (!this.#storageFailing) return true;
    if (database.sqlitePath !== undefined && !(await sqliteStorageWritable(database.sqlitePath))) return false;
    try {
      await writeThatChangesNothing(database);
      this.#storageFailing = false;
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * A write that reaches the storage and leaves the data as it was. SQLite skips a row
 * update that changes no byte, so its probe rewrites the header's user_version with its
 * own value (a page written at commit): an ext4 that turned read-only after an I/O error
 * still looks writable to access() and statfs(). PostgreSQL writes a new row version
 * whatever the values (the migration lock row, which both dialects have).
 */
async function writeThatChangesNothing(database: Database): Promise<void> {
  if (database.kind === "sqlite") {
    const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(database.db);
    await sql.raw(`pragma user_version = ${Math.trunc(Number(rows[0]?.user_version ?? 0))}`).execute(database.db);
    return;
  }
  await sql`update kysely_migration_lock set is_locked = is_locked where id = 'migration_lock'`.execute(database.db);
}

/** Free space below which a SQLite file's storage counts as full. */
const MIN_FREE_BYTES = 1024 * 1024;

async function sqliteStorageWritable(path: string): Promise<boolean> {
  try {
    // access() reports a read-only mount even to root, who ignores file modes.
    await access(dirname(path), constants.W_OK);
    await access(path, constants.W_OK);
    const { bavail, bsize } = await statfs(dirname(path));
    return bavail * bsize >= MIN_FREE_BYTES;
  } catch {
    return false;
  }
}

const healthByDatabase = new WeakMap<Database["db"], DatabaseHealth>();

/** The one DatabaseHealth of an open database (the error handler and the probe share it). */
export function databaseHealth(database: Database): DatabaseHealth {
  let health = healthByDatabase.get(database.db);
  if (!health) {
    health = new DatabaseHealth();
    healthByDatabase.set(database.db, health);
  }
  return health;
}
