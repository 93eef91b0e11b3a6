// Opens the configured database (SQLite file or PostgreSQL) behind one Kysely type.
import { createRequire } from "node:module";
import { Kysely, type LogEvent, PostgresDialect } from "kysely";
import type pgModule from "pg";
import type { DatabaseTarget } from "../config.ts";
import type { Schema } from "./schema.ts";
import { openSqlite } from "./sqlite-adapter.ts";
import { SqliteDialectWithMigrationLock } from "./sqlite-dialect.ts";

export type DatabaseKind = DatabaseTarget["kind"];

export type Database = {
  db: Kysely<Schema>;
  kind: DatabaseKind;
};

const PG_INT8_OID = 20;
const LOCK_TIMEOUT_MS = 5000;

export type DatabaseOptions = {
  poolSize?: number;
  /** Called after every query (and failed query) with its SQL and duration: for tests and benchmarks. */
  log?: (event: LogEvent) => void;
  /**
   * Called when PostgreSQL drops a connection that sat idle in the pool (server restart,
   * idle timeout, an operator ending sessions). The pool discards it and connects anew
   * on the next query, so this is worth a log line, not a crash.
   */
  onIdleConnectionError?: (error: Error) => void;
};

export function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Database {
  const log = options.log ? { log: options.log } : {};
  if (target.kind === "sqlite") {
    const dialect = new SqliteDialectWithMigrationLock({ database: () => openSqlite(target.path) });
    return { db: new Kysely<Schema>({ dialect, ...log }), kind: "sqlite" };
  }
  // Loaded only when needed: a SQLite server starts faster without the PostgreSQL driver.
  const pg = createRequire(import.meta.url)("pg") as typeof pgModule;
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.poolSize ?? 10,
    // Like SQLite's busy_timeout: a request stuck behind a held lock fails after 5 s
    // (answered as "busy, try again") instead of waiting for ever.
    options: `-c lock_timeout=${LOCK_TIMEOUT_MS}`,
    // Timestamps are bigint milliseconds: well inside Number's exact range.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID ? Number : pg.types.getTypeParser(oid, format),
    } as pgModule.CustomTypesConfig,
  });
  // Without a listener, Node turns the pool's "error" event into an uncaught exception.
  pool.on("error", (error) => options.onIdleConnectionError?.(error));
  return { db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), ...log }), kind: "postgres" };
}
