// Lists get a name their owner chooses (null: named after the first item) and a
// count of their items (so MAX_ITEMS_PER_LIST is checked in constant time); items
// get a done flag.
import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";

export function listNamesAndDoneItems(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("lists").addColumn("name", "text").execute();
      await db.schema
        .alterTable("lists")
        .addColumn("item_count", "integer", (col) => col.notNull().defaultTo(0))
        .execute();
      await sql`UPDATE lists SET item_count = (SELECT count(*) FROM items WHERE items.list_id = lists.id)`.execute(db);
      await db.schema
        .alterTable("items")
        .addColumn("done", "boolean", (col) => col.notNull().defaultTo(false))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("items").dropColumn("done").execute();
      await db.schema.alterTable("lists").dropColumn("item_count").execute();
      await db.schema.alterTable("lists").dropColumn("name").execute();
    },
  };
}
