// The records of "a list was shared with you" emails, counted for the same rate limits
// as login emails (src/email/rate-limits.ts): per sharer and client IP, per IP, per
// sharer, and a cooldown before the same sharer emails the same person again.
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import { countRecentEmails, RATE_LIMIT_WINDOW_MS, type RecentEmails } from "../email/recent-emails.ts";

type Db = Kysely<Schema>;

export type ShareEmailRecord = { sharer: string; sharee: string; requesterIp: string };

/** Counts the email about to be sent; `forgetShareEmail` takes it back if it is refused or fails. */
export async function recordShareEmail(db: Db, record: ShareEmailRecord, now = Date.now()): Promise<void> {
  await db
    .insertInto("share_emails")
    .values({
      sharer_email: record.sharer,
      sharee_email: record.sharee,
      requester_ip: record.requesterIp,
      created_at: now,
    })
    .execute();
}

export async function forgetShareEmail(db: Db, record: ShareEmailRecord, now: number): Promise<void> {
  await db
    .deleteFrom("share_emails")
    .where("sharer_email", "=", record.sharer)
    .where("sharee_email", "=", record.sharee)
    .where("requester_ip", "=", record.requesterIp)
    .where("created_at", "=", now)
    .execute();
}

/** Counts for the rate limits, our own record included; the address is the sharer's. */
export function recentShareEmails(
  db: Db,
  { sharer, sharee, requesterIp }: ShareEmailRecord,
  { cooldownSeconds, now = Date.now() }: { cooldownSeconds: number; now?: number },
): Promise<RecentEmails> {
  // The cooldown is between two emails from one sharer to one person.
  return countRecentEmails(db, "share_emails", {
    address: { sharer_email: sharer },
    requesterIp,
    cooldown: { sharer_email: sharer, sharee_email: sharee },
    cooldownSeconds,
    now,
  });
}

/** Records older than the rate-limit window count towards nothing. */
export async function purgeOldShareEmails(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("share_emails")
    .where("created_at", "<=", now - RATE_LIMIT_WINDOW_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
