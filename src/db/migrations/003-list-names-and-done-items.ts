// Lists get a name their owner chooses (null: named after the first item) and
// items a done flag.
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export function listNamesAndDoneItems(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("lists").addColumn("name", "text").execute();
      await db.schema
        .alterTable("items")
        .addColumn("done", "boolean", (col) => col.notNull().defaultTo(false))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("items").dropColumn("done").execute();
      await db.schema.alterTable("lists").dropColumn("name").execute();
    },
  };
}
