// Deletes rows that no longer mean anything, one DELETE per table, so the tables
// stay bounded however long the site runs. Each DELETE is idempotent: several
// processes purging at once only find less to delete.
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import { RATE_LIMIT_WINDOW_MS } from "../email/recent-emails.ts";
import { purgeOldRemovedItems } from "../lists/removed-items.ts";
import { purgeOldShareEmails } from "../lists/share-emails.ts";

type Db = Kysely<Schema>;

/** Sessions past their expiry: no request can use them any more. */
export async function purgeExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Login tokens that are expired (used or not) and older than the rate-limit window:
 * they neither log anyone in nor count towards a limit. These rows are the rate-limit
 * records too.
 */
export async function purgeOldLoginTokens(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("login_tokens")
    .where("expires_at", "<=", now)
    .where("created_at", "<=", now - RATE_LIMIT_WINDOW_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type PurgedRows = { sessions: number; loginTokens: number; removedItems: number; shareEmails: number };

export async function purgeExpired(db: Db, now = Date.now()): Promise<PurgedRows> {
  return {
    sessions: await purgeExpiredSessions(db, now),
    loginTokens: await purgeOldLoginTokens(db, now),
    removedItems: await purgeOldRemovedItems(db, now),
    shareEmails: await purgeOldShareEmails(db, now),
  };
}
