// The records of "a list was shared with you" emails, counted for the same rate limits
// as login emails (login-rate-limits.ts): per sharer and client IP, per IP, per sharer,
// and a cooldown before the same sharer emails the same person again.
import type { Kysely } from "kysely";
import type { RecentLoginRequests } from "../accounts/login-tokens.ts";
import type { Schema } from "../db/schema.ts";

type Db = Kysely<Schema>;

/** As for login emails, the limits look back one hour. */
const RATE_LIMIT_WINDOW_MS = 3600_000;

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

/**
 * The counts the login-email limits take, for share emails (our own record included):
 * "address" is the sharer's, and the cooldown counts emails from them to the same person.
 */
export async function recentShareEmails(
  db: Db,
  { sharer, sharee, requesterIp }: ShareEmailRecord,
  { cooldownSeconds, now = Date.now() }: { cooldownSeconds: number; now?: number },
): Promise<RecentLoginRequests> {
  const hourAgo = now - RATE_LIMIT_WINDOW_MS;
  const row = await db
    .selectNoFrom((eb) => {
      const count = () =>
        eb
          .selectFrom("share_emails")
          .select((inner) => inner.fn.countAll<number>().as("n"))
          .where("created_at", ">", hourAgo);
      return [
        count().where("sharer_email", "=", sharer).as("for_email"),
        count().where("requester_ip", "=", requesterIp).as("from_ip"),
        count().where("sharer_email", "=", sharer).where("requester_ip", "=", requesterIp).as("pair"),
        count()
          .where("sharer_email", "=", sharer)
          .where("sharee_email", "=", sharee)
          .where("created_at", ">", now - cooldownSeconds * 1000)
          .as("pair_in_cooldown"),
      ];
    })
    .executeTakeFirstOrThrow();
  return {
    forEmail: Number(row.for_email ?? 0),
    fromIp: Number(row.from_ip ?? 0),
    forEmailFromIp: Number(row.pair ?? 0),
    forEmailFromIpInCooldown: Number(row.pair_in_cooldown ?? 0),
  };
}

/** Records older than the rate-limit window count towards nothing. */
export async function purgeOldShareEmails(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("share_emails")
    .where("created_at", "<=", now - RATE_LIMIT_WINDOW_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
