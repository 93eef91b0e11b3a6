// Opens the configured database (SQLite file or PostgreSQL) behind one Kysely type.
import { existsSync } from "node:fs";
import { Kysely, type LogEvent, PostgresDialect } from "kysely";
import type { DatabaseTarget } from "../config.ts";
import { type BoundedPool, openPostgresPool } from "./postgres-pool.ts";
import type { Schema } from "./schema.ts";
import { openSqlite } from "./sqlite-adapter.ts";
import { SqliteDialectWithMigrationLock } from "./sqlite-dialect.ts";

export type DatabaseKind = DatabaseTarget["kind"];

export type Database = {
  db: Kysely<Schema>;
  kind: DatabaseKind;
  /** The PostgreSQL pool (its counts are metrics); absent on SQLite. */
  pool?: BoundedPool;
  /** The SQLite file (the readiness probe checks its storage). */
  sqlitePath?: string;
};

export type DatabaseOptions = {
  /**
   * SQLite: false refuses a missing file instead of creating an empty database (production
   * mode: a wrong path or an unmounted volume must not look like a site with no data).
   */
  createSqliteFile?: boolean;
  poolSize?: number;
  /**
   * PostgreSQL: bound on connecting and on each statement (DATABASE_TIMEOUT_SECONDS, for
   * the server). None by default: the CLI's migrations and backups may take longer.
   */
  timeoutMs?: number;
  /** PostgreSQL: requests allowed to wait for a pooled connection (DATABASE_POOL_QUEUE_LIMIT). */
  maxWaiting?: number;
  /** Called after every query (and failed query) with its SQL and duration: for tests and benchmarks. */
  log?: (event: LogEvent) => void;
  /**
   * Called when PostgreSQL drops a connection, idle in the pool or in use (server restart,
   * failover, an operator ending sessions). The pool discards it and connects anew on
   * the next query, so this is worth a log line, not a crash.
   */
  onConnectionError?: (error: Error) => void;
};

// The instances opened on PostgreSQL, for the few queries written differently there.
const onPostgres = new WeakSet<Kysely<Schema>>();

/** Whether `db` was opened on PostgreSQL (a transaction of it is not: pass the database itself). */
export function runsOnPostgres(db: Kysely<Schema>): boolean {
  return onPostgres.has(db);
}

export class DatabaseFileMissingError extends Error {
  constructor(path: string) {
    super(`database file ${path} does not exist: run \`superlists migrate\` to create it`);
    this.name = "DatabaseFileMissingError";
  }
}

export function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Database {
  const log = options.log ? { log: options.log } : {};
  if (target.kind === "sqlite") {
    if (options.createSqliteFile === false && target.path !== ":memory:" && !existsSync(target.path)) {
      throw new DatabaseFileMissingError(target.path);
    }
    const dialect = new SqliteDialectWithMigrationLock({ database: () => openSqlite(target.path) });
    return { db: new Kysely<Schema>({ dialect, ...log }), kind: "sqlite", sqlitePath: target.path };
  }
  const size = options.poolSize ?? 10;
  const pool = openPostgresPool({
    url: target.url,
    size,
    timeoutMs: options.timeoutMs,
    maxWaiting: options.maxWaiting ?? size * 10,
    onConnectionError: (error) => options.onConnectionError?.(error),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), ...log });
  onPostgres.add(db);
  return { db, kind: "postgres", pool };
}
