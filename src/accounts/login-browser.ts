// Ties a login link to the browser that asked for it: that browser gets a cookie with
// a random value, and the link's token row keeps only the value's hash. Opened in that
// browser, the link logs in at once (adopting the lists the browser made anonymously);
// opened anywhere else (another device, a mail scanner, a chat preview), it asks first.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../web/app-env.ts";
import { cookieOptions } from "../web/cookies.ts";
import { hashToken, newSecretToken } from "../web/secret-token.ts";

export const LOGIN_BROWSER_COOKIE = "login_browser";
const VALUE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The hash of this browser's login cookie value, if it has a well-formed one. */
export function loginBrowserHash(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, LOGIN_BROWSER_COOKIE);
  return value !== undefined && VALUE_SHAPE.test(value) ? hashToken(value) : undefined;
}

/**
 * Gives the browser its login cookie (keeping the value it has, so every link it asked
 * for stays its own) for as long as a link lives; returns the value's hash.
 */
export function markLoginBrowser(c: Context<AppEnv>, { maxAge }: { maxAge: number }): string {
  const existing = getCookie(c, LOGIN_BROWSER_COOKIE);
  const value = existing !== undefined && VALUE_SHAPE.test(existing) ? existing : newSecretToken();
  setCookie(c, LOGIN_BROWSER_COOKIE, value, cookieOptions(c, maxAge));
  return hashToken(value);
}
