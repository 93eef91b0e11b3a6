// Users exist once they have logged in (or a session was created for them).
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";

export async function ensureUser(db: Kysely<Schema>, email: string): Promise<void> {
  await db
    .insertInto("users")
    .values({ email, created_at: Date.now() })
    .onConflict((conflict) => conflict.column("email").doNothing())
    .execute();
}
