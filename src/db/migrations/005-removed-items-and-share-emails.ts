// Removed items are kept a short while so that "Undo" can put them back where they
// were (their own id, hence their place); share emails are counted for rate limits, as
// login tokens are. The retention job purges both (src/retention/purge-expired.ts).
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export const removedItemsAndShareEmails: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("removed_items")
      .addColumn("undo_hash", "varchar(64)", (col) => col.notNull())
      .addColumn("list_id", "varchar(32)", (col) => col.notNull().references("lists.id").onDelete("cascade"))
      .addColumn("item_id", "integer", (col) => col.notNull())
      .addColumn("text", "text", (col) => col.notNull())
      .addColumn("done", "boolean", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("removed_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("removed_items_pk", ["undo_hash", "item_id"])
      .execute();
    await db.schema.createIndex("removed_items_removed_at_idx").on("removed_items").column("removed_at").execute();
    await db.schema.createIndex("removed_items_list_id_idx").on("removed_items").column("list_id").execute();

    await db.schema
      .createTable("share_emails")
      .addColumn("sharer_email", "varchar(254)", (col) => col.notNull())
      .addColumn("sharee_email", "varchar(254)", (col) => col.notNull())
      .addColumn("requester_ip", "varchar(64)", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("share_emails_sharer_created_idx")
      .on("share_emails")
      .columns(["sharer_email", "created_at"])
      .execute();
    await db.schema
      .createIndex("share_emails_ip_created_idx")
      .on("share_emails")
      .columns(["requester_ip", "created_at"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("share_emails").execute();
    await db.schema.dropTable("removed_items").execute();
  },
};
