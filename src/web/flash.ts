// One-time messages shown on the next page ("Check your email…"), carried in a
// signed cookie so any app instance can show them (nothing kept in memory).
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Config } from "../config.ts";
import type { AppEnv, Flash } from "./app-env.ts";
import { isHttps } from "./request-origin.ts";

const FLASH_COOKIE = "flash";

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

export function flashMessages(secret: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const raw = c.req.method === "GET" ? await getSignedCookie(c, secret, FLASH_COOKIE) : undefined;
    if (raw !== undefined) {
      c.set("flash", raw === false ? null : parseFlash(raw));
      deleteCookie(c, FLASH_COOKIE, { path: "/" });
    }
    await next();
  });
}

export async function setFlash(
  c: Context,
  { secretKey, trustProxy }: Pick<Config, "secretKey" | "trustProxy">,
  flash: Flash,
): Promise<void> {
  await setSignedCookie(c, FLASH_COOKIE, JSON.stringify(flash), secretKey, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    // Like every cookie of the app: never sent in clear once the site is served over HTTPS.
    secure: isHttps(c, trustProxy),
  });
}
