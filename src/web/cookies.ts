// The attributes every cookie of the app carries, for Hono's cookie helpers
// (hono/cookie): HttpOnly, SameSite=Lax, the whole site, and Secure (never sent in
// clear) whenever the site is served over HTTPS. And the key each signed cookie is
// signed with, one per purpose, so that no signed value can pass for another.
import { createHmac } from "node:crypto";
import type { Context } from "hono";
import type { CookieOptions } from "hono/utils/cookie";
import type { AppEnv } from "./app-env.ts";

/** `maxAge` in seconds; without it, the cookie ends with the browser session. */
export function cookieOptions(c: Context<AppEnv>, maxAge?: number): CookieOptions {
  return { path: "/", httpOnly: true, sameSite: "Lax", secure: c.get("origin").startsWith("https:"), maxAge };
}

const signingKeys = new Map<string, string>();

/** The key for one kind of signed cookie, derived from the app's secret (once). */
export function cookieSigningKey(secretKey: string, purpose: string): string {
  const id = `${purpose}\n${secretKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = createHmac("sha256", secretKey).update(`superlists cookie: ${purpose}`).digest("base64url");
    signingKeys.set(id, key);
  }
  return key;
}
