// How many emails of one kind went out lately, for the rate limits (rate-limits.ts),
// counted from the rows that record them (login tokens, share emails). The request's own
// row is counted too: concurrent requests see each other and cannot all slip under a limit.
import type { FilterObject, Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";

/** The hourly limits look back this long: the rows are kept at least as long (src/retention/). */
export const RATE_LIMIT_WINDOW_MS = 3600_000;

/** The tables with one row for each email sent: for whom, asked from which IP, and when. */
type SentEmailRecords = "login_tokens" | "share_emails";

export type RecentEmails = {
  /** Emails for this address in the last hour, asked from anywhere. */
  forAddress: number;
  /** Emails asked from this IP in the last hour, for any address. */
  fromIp: number;
  /** Emails for this address asked from this IP in the last hour. */
  forAddressFromIp: number;
  /** Emails that the cooldown waits after, sent within it. */
  inCooldown: number;
};

/** Counts the rows of `table` that the limits take, as one query. */
export async function countRecentEmails<Table extends SentEmailRecords>(
  db: Kysely<Schema>,
  table: Table,
  {
    address,
    requesterIp,
    cooldown,
    cooldownSeconds,
    now,
  }: {
    /** The rows of the address the limits count for. */
    address: Partial<Schema[Table]>;
    requesterIp: string;
    /** The rows the cooldown waits after. */
    cooldown: Partial<Schema[Table]>;
    cooldownSeconds: number;
    now: number;
  },
): Promise<RecentEmails> {
  // Kysely cannot type a query on a table that a type parameter chooses: the query is typed
  // for either table, and the signature keeps each call to its own table's columns.
  const records: SentEmailRecords = table;
  const hourAgo = now - RATE_LIMIT_WINDOW_MS;
  const row = await db
    .selectNoFrom((eb) => {
      const count = (since: number, filter: FilterObject<Schema, SentEmailRecords>) =>
        eb
          .selectFrom(records)
          .select((inner) => inner.fn.countAll<number>().as("n"))
          .where("created_at", ">", since)
          .where((w) => w.and(filter));
      const fromIp = { requester_ip: requesterIp };
      return [
        count(hourAgo, address).as("for_address"),
        count(hourAgo, fromIp).as("from_ip"),
        count(hourAgo, { ...address, ...fromIp }).as("for_address_from_ip"),
        count(now - cooldownSeconds * 1000, cooldown).as("in_cooldown"),
      ];
    })
    .executeTakeFirstOrThrow();
  return {
    forAddress: Number(row.for_address ?? 0),
    fromIp: Number(row.from_ip ?? 0),
    forAddressFromIp: Number(row.for_address_from_ip ?? 0),
    inCooldown: Number(row.in_cooldown ?? 0),
  };
}
