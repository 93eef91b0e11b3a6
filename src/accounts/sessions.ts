// Server-side sessions: the cookie holds a random key, the database its hash.
// Any server sharing the database honours any session (scale-out, create-session).
import type { Kysely } from "kysely";
import { preparedQuery } from "../db/prepared-query.ts";
import type { Schema } from "../db/schema.ts";
import { hashToken, newSecretToken } from "../web/secret-token.ts";
import { ensureUser } from "./user-store.ts";

type Db = Kysely<Schema>;

/** Creates the user if needed and a session for them; returns the session key for the cookie. */
export async function createSession(db: Db, email: string, maxAgeSeconds: number): Promise<string> {
  await ensureUser(db, email);
  const key = newSecretToken();
  const now = Date.now();
  await db
    .insertInto("sessions")
    .values({ key_hash: hashToken(key), email, created_at: now, expires_at: now + maxAgeSeconds * 1000 })
    .execute();
  return key;
}

// Run by every request that carries a session cookie.
const selectSessionUser = preparedQuery((db, keyHash: string, now: number) =>
  db.selectFrom("sessions").select("email").where("key_hash", "=", keyHash).where("expires_at", ">", now),
);

export async function sessionUser(db: Db, key: string, now = Date.now()): Promise<string | undefined> {
  if (key.length === 0 || key.length > 100) return undefined;
  const [row] = await selectSessionUser(db, hashToken(key), now);
  return row?.email;
}

export async function deleteSession(db: Db, key: string): Promise<void> {
  await db.deleteFrom("sessions").where("key_hash", "=", hashToken(key)).execute();
}
