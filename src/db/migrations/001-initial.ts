// The whole schema as of the first release.
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { DatabaseKind } from "../database.ts";

export function initialSchema(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("users")
        .addColumn("email", "varchar(254)", (col) => col.primaryKey())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();

      await db.schema
        .createTable("lists")
        .addColumn("id", "varchar(32)", (col) => col.primaryKey())
        .addColumn("owner_email", "varchar(254)", (col) => col.references("users.email").onDelete("cascade"))
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("lists_owner_email_idx").on("lists").column("owner_email").execute();

      await db.schema
        .createTable("items")
        .addColumn("id", "integer", (col) =>
          kind === "sqlite" ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn("list_id", "varchar(32)", (col) => col.notNull().references("lists.id").onDelete("cascade"))
        .addColumn("text", "text", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addUniqueConstraint("items_list_id_text_unique", ["list_id", "text"])
        .execute();
      await db.schema.createIndex("items_list_id_id_idx").on("items").columns(["list_id", "id"]).execute();

      await db.schema
        .createTable("list_shares")
        .addColumn("list_id", "varchar(32)", (col) => col.notNull().references("lists.id").onDelete("cascade"))
        .addColumn("email", "varchar(254)", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addPrimaryKeyConstraint("list_shares_pk", ["list_id", "email"])
        .execute();
      await db.schema.createIndex("list_shares_email_idx").on("list_shares").column("email").execute();

      await db.schema
        .createTable("login_tokens")
        .addColumn("token_hash", "varchar(64)", (col) => col.primaryKey())
        .addColumn("email", "varchar(254)", (col) => col.notNull())
        .addColumn("requester_ip", "varchar(64)", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("expires_at", "bigint", (col) => col.notNull())
        .addColumn("used_at", "bigint")
        .execute();
      await db.schema
        .createIndex("login_tokens_email_created_idx")
        .on("login_tokens")
        .columns(["email", "created_at"])
        .execute();
      await db.schema
        .createIndex("login_tokens_ip_created_idx")
        .on("login_tokens")
        .columns(["requester_ip", "created_at"])
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("key_hash", "varchar(64)", (col) => col.primaryKey())
        .addColumn("email", "varchar(254)", (col) => col.notNull().references("users.email").onDelete("cascade"))
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("expires_at", "bigint", (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ["sessions", "login_tokens", "list_shares", "items", "lists", "users"]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
