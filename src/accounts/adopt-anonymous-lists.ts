// At login by a link opened in the browser that asked for it, the lists this browser
// created anonymously become the user's own, so they appear in My Lists. Only lists
// still without an owner: never someone else's.
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";

/** Returns how many lists were adopted. */
export async function adoptAnonymousLists(db: Kysely<Schema>, email: string, listIds: string[]): Promise<number> {
  if (listIds.length === 0) return 0;
  const result = await db
    .updateTable("lists")
    .set({ owner_email: email })
    .where("id", "in", listIds)
    .where("owner_email", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
