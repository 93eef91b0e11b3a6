// What the server has learnt about its database from failed requests: whether its
// storage refuses writes (the readiness probe then says "not ready" until a write
// works again), and which failures were logged recently.
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
   * False while writes are known to fail. Once one has, each call tries a one-row write
   * that changes nothing (the migration lock row both dialects have) and clears the
   * failure when it succeeds, so readiness comes back by itself when the storage does.
   */
  async writable(database: Database): Promise<boolean> {
    if (!this.#storageFailing) return true;
    try {
      await sql`update kysely_migration_lock set is_locked = is_locked where id = 'migration_lock'`.execute(
        database.db,
      );
      this.#storageFailing = false;
      return true;
    } catch {
      return false;
    }
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
