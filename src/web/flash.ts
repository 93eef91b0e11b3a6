// One-time messages shown on the next page ("Check your email…"), carried in a
// signed cookie so any app instance can show them (nothing kept in memory).
import type { Context } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Config } from "../config.ts";
import type { AppEnv, Flash, FlashUndo, RequestStep } from "./app-env.ts";
import { cookieOptions, cookieSigningKey } from "./cookies.ts";

const FLASH_COOKIE = "flash";

type SigningConfig = Pick<Config, "secretKey">;

function isFlashUndo(value: unknown): value is FlashUndo {
  if (typeof value !== "object" || value === null) return false;
  const { action, token } = value as Record<string, unknown>;
  return typeof action === "string" && action.startsWith("/") && typeof token === "string";
}

function parseFlash(value: string): Flash | null {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null) return null;
    const { level, text, detail, undo, loginEmail } = parsed as Record<string, unknown>;
    if ((level === "success" || level === "warning") && typeof text === "string") {
      return {
        level,
        text,
        ...(typeof detail === "string" ? { detail } : {}),
        ...(isFlashUndo(undo) ? { undo } : {}),
        ...(typeof loginEmail === "string" ? { loginEmail } : {}),
      };
    }
  } catch {
    // A stale cookie of another shape is simply ignored.
  }
  return null;
}

/** The step that reads the flash a GET request carries, and ends it. */
export function flashMessages({ secretKey }: SigningConfig): RequestStep {
  const key = cookieSigningKey(secretKey, FLASH_COOKIE);
  return async (c) => {
    // Checked first: Hono's signed-cookie reader imports the key whenever any cookie is sent.
    if (c.req.method !== "GET" || getCookie(c, FLASH_COOKIE) === undefined) return undefined;
    const value = await getSignedCookie(c, key, FLASH_COOKIE);
    if (value === undefined) return undefined;
    c.set("flash", value === false ? null : parseFlash(value));
    deleteCookie(c, FLASH_COOKIE, cookieOptions(c));
    return undefined;
  };
}

/** Sets the message the next page shows. */
export function setFlash(c: Context<AppEnv>, { secretKey }: SigningConfig, flash: Flash): Promise<void> {
  const key = cookieSigningKey(secretKey, FLASH_COOKIE);
  return setSignedCookie(c, FLASH_COOKIE, JSON.stringify(flash), key, cookieOptions(c));
}
