// Kysely's SQLite dialect with a real migration lock. Kysely's own takes none,
// so two processes starting on one fresh file (scale-out, or a server and the CLI)
// would both try to create the tables.
import { type Kysely, SqliteAdapter, SqliteDialect, sql } from "kysely";

class SqliteAdapterWithMigrationLock extends SqliteAdapter {
  // The migrator runs on one reserved connection: an immediate transaction on it takes
  // the file's write lock now, and another process waits (busy_timeout) until it commits.
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`commit`.execute(db);
  }
}

export class SqliteDialectWithMigrationLock extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new SqliteAdapterWithMigrationLock();
  }
}
