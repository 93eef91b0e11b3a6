// One-time login tokens: random, stored hashed, single use, expiring.
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import { hashToken, newSecretToken } from "./secret-token.ts";

type Db = Kysely<Schema>;

export async function issueLoginToken(
  db: Db,
  { email, requesterIp, maxAgeSeconds }: { email: string; requesterIp: string; maxAgeSeconds: number },
): Promise<string> {
  const token = newSecretToken();
  const now = Date.now();
  await db
    .insertInto("login_tokens")
    .values({
      token_hash: hashToken(token),
      email,
      requester_ip: requesterIp,
      created_at: now,
      expires_at: now + maxAgeSeconds * 1000,
      used_at: null,
    })
    .execute();
  return token;
}

export async function revokeLoginToken(db: Db, token: string): Promise<void> {
  await db.deleteFrom("login_tokens").where("token_hash", "=", hashToken(token)).execute();
}

/**
 * Marks the token used and returns its email, or undefined if it is unknown,
 * used or expired. The conditional update makes a replay race lose.
 */
export async function redeemLoginToken(db: Db, token: string, now = Date.now()): Promise<string | undefined> {
  if (token.length === 0 || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const updated = await db
    .updateTable("login_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return undefined;
  const row = await db
    .selectFrom("login_tokens")
    .select("email")
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  return row?.email;
}

/** Login emails requested in the last hour, for this address and from this IP. */
export async function recentLoginRequests(
  db: Db,
  { email, requesterIp, now = Date.now() }: { email: string; requesterIp: string; now?: number },
): Promise<{ forEmail: number; fromIp: number }> {
  const since = now - 3600_000;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("login_tokens")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .where("email", "=", email)
        .where("created_at", ">", since)
        .as("for_email"),
      eb
        .selectFrom("login_tokens")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .where("requester_ip", "=", requesterIp)
        .where("created_at", ">", since)
        .as("from_ip"),
    ])
    .executeTakeFirstOrThrow();
  return { forEmail: Number(row.for_email ?? 0), fromIp: Number(row.from_ip ?? 0) };
}
