// Opens the configured database (SQLite file or PostgreSQL) behind one Kysely type.
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../config.ts";
import type { Schema } from "./schema.ts";
import { openSqlite } from "./sqlite-adapter.ts";

export type DatabaseKind = DatabaseTarget["kind"];

export type Database = {
  db: Kysely<Schema>;
  kind: DatabaseKind;
};

const PG_INT8_OID = 20;

export function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Database {
  if (target.kind === "sqlite") {
    const dialect = new SqliteDialect({ database: () => Promise.resolve(openSqlite(target.path)) });
    return { db: new Kysely<Schema>({ dialect }), kind: "sqlite" };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.poolSize ?? 10,
    // Timestamps are bigint milliseconds: well inside Number's exact range.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID ? Number : pg.types.getTypeParser(oid, format),
    } as pg.CustomTypesConfig,
  });
  return { db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), kind: "postgres" };
}
