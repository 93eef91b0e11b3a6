// Each running server process keeps a row here, refreshed every few seconds and deleted
// when it shuts down cleanly, so `superlists restore` can tell that servers still use
// the database (see server-heartbeats.ts). IF NOT EXISTS: a restored backup from before
// this migration leaves the table in place on PostgreSQL (pg_restore --clean drops only
// what the backup holds) while its migration history says it is still to be created.
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export const serverHeartbeats: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("server_heartbeats")
      .ifNotExists()
      .addColumn("id", "varchar(36)", (col) => col.primaryKey())
      .addColumn("host", "varchar(255)", (col) => col.notNull())
      .addColumn("pid", "integer", (col) => col.notNull())
      .addColumn("seen_at", "bigint", (col) => col.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("server_heartbeats").ifExists().execute();
  },
};
