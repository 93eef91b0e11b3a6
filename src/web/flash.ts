// One-time messages shown on the next page ("Check your email…"), carried in a
// signed cookie so any app instance can show them (nothing kept in memory).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv, Flash, RequestStep } from "./app-env.ts";
import { deleteCookie, setCookie } from "./response-headers.ts";

const FLASH_COOKIE = "flash";

// Hono's signed-cookie format ("value.base64(HMAC-SHA256)", URL-encoded), computed with
// node:crypto: synchronous, where Hono's WebCrypto version imports the key on every
// request that carries any cookie.
function signature(value: string, secret: string): string {
  return createHmac("sha256", secret).update(value).digest("base64");
}

/** The signed value, or undefined if the signature does not match. */
function verified(signed: string, secret: string): string | undefined {
  const dot = signed.lastIndexOf(".");
  if (dot === -1) return undefined;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(signature(value, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
}

function parseFlash(value: string): Flash | null {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null) return null;
    const { level, text } = parsed as Record<string, unknown>;
    if ((level === "success" || level === "warning") && typeof text === "string") return { level, text };
  } catch {
    // A tampered or stale cookie is simply ignored.
  }
  return null;
}

export function flashMessages(secret: string): RequestStep {
  return (c) => {
    const signed = c.req.method === "GET" ? getCookie(c, FLASH_COOKIE) : undefined;
    if (signed !== undefined) {
      const value = verified(signed, secret);
      c.set("flash", value === undefined ? null : parseFlash(value));
      deleteCookie(c, FLASH_COOKIE);
    }
    return undefined;
  };
}

export function setFlash(c: Context<AppEnv>, { secretKey }: { secretKey: string }, flash: Flash): void {
  const value = JSON.stringify(flash);
  setCookie(c, FLASH_COOKIE, encodeURIComponent(`${value}.${signature(value, secretKey)}`));
}
