// Login links tied to the browser that asked for them, and the page to return to:
// the hash of a random value kept in that browser's cookie (never the value itself),
// and the local path the user was on. Both are null for links issued before.
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export const loginTokenBrowser: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("login_tokens").addColumn("browser_hash", "varchar(64)").execute();
    await db.schema.alterTable("login_tokens").addColumn("next_path", "varchar(2048)").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("login_tokens").dropColumn("next_path").execute();
    await db.schema.alterTable("login_tokens").dropColumn("browser_hash").execute();
  },
};
