// One-time login tokens: random, stored hashed, single use, expiring. Each remembers
// the browser that asked for it (a hash of that browser's login cookie) and the page
// to return to.
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import { countRecentEmails, type RecentEmails } from "../email/recent-emails.ts";
import { hashToken, newSecretToken } from "../web/secret-token.ts";

type Db = Kysely<Schema>;

/** Longer than any token we issue: refused before hashing. */
const MAX_TOKEN_LENGTH = 100;

export type LoginTokenRequest = {
  email: string;
  /** Who asked, as the per-IP limits count it: an IPv4 address or an IPv6 /64 (rateLimitKey). */
  requesterIp: string;
  /** Hash of the requesting browser's login cookie value. */
  browserHash: string;
  /** Local path to return to after logging in. */
  nextPath: string;
  maxAgeSeconds: number;
};

export async function issueLoginToken(
  db: Db,
  { email, requesterIp, browserHash, nextPath, maxAgeSeconds }: LoginTokenRequest,
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
      browser_hash: browserHash,
      next_path: nextPath,
    })
    .execute();
  return token;
}

export async function revokeLoginToken(db: Db, token: string): Promise<void> {
  await db.deleteFrom("login_tokens").where("token_hash", "=", hashToken(token)).execute();
}

function plausibleToken(token: string): boolean {
  return token.length > 0 && token.length <= MAX_TOKEN_LENGTH;
}

/** The address a token would log in as, if it is still usable; reading it does not use it. */
export async function pendingLoginEmail(db: Db, token: string, now = Date.now()): Promise<string | undefined> {
  if (!plausibleToken(token)) return undefined;
  const row = await db
    .selectFrom("login_tokens")
    .select("email")
    .where("token_hash", "=", hashToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row?.email;
}

export type RedeemedLogin = { email: string; nextPath: string };

/**
 * Marks the token used and returns who it logs in and where to go, or undefined if it
 * is unknown, used or expired (or, with `browserHash`, was asked for by another
 * browser). The conditional update makes a replay race lose. Every other unused link
 * for the address stops working too: an older link left in a mailbox is no way in.
 */
export async function redeemLoginToken(
  db: Db,
  token: string,
  { browserHash, now = Date.now() }: { browserHash?: string; now?: number } = {},
): Promise<RedeemedLogin | undefined> {
  if (!plausibleToken(token)) return undefined;
  let update = db
    .updateTable("login_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", hashToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now);
  if (browserHash !== undefined) update = update.where("browser_hash", "=", browserHash);
  const row = await update.returning(["email", "next_path"]).executeTakeFirst();
  if (!row) return undefined;
  await revokePendingLoginTokens(db, row.email, now);
  return { email: row.email, nextPath: row.next_path ?? "/" };
}

/** Makes every unused link for the address unusable (after a login, at logout). */
export async function revokePendingLoginTokens(db: Db, email: string, now = Date.now()): Promise<void> {
  await db
    .updateTable("login_tokens")
    .set({ used_at: now })
    .where("email", "=", email)
    .where("used_at", "is", null)
    .execute();
}

/** Counts for the rate limits (src/email/rate-limits.ts), our own new token included. */
export function recentLoginRequests(
  db: Db,
  {
    email,
    requesterIp,
    cooldownSeconds,
    now = Date.now(),
  }: { email: string; requesterIp: string; cooldownSeconds: number; now?: number },
): Promise<RecentEmails> {
  // The cooldown is between two links to one address asked from one IP.
  return countRecentEmails(db, "login_tokens", {
    address: { email },
    requesterIp,
    cooldown: { email, requester_ip: requesterIp },
    cooldownSeconds,
    now,
  });
}
