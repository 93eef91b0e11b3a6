// Cross-site request forgery protection, double-submit style (as Django does):
// a random token in an HttpOnly cookie must come back in each form's hidden
// field, and a browser's Origin / Sec-Fetch-Site must not name another site.
import { randomFillSync, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv, RequestStep } from "./app-env.ts";
import { cookieOptions } from "./cookies.ts";
import type { ErrorPage } from "./error-pages.ts";

export const CSRF_COOKIE = "csrftoken";
export const CSRF_FIELD = "csrf_token";
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const TOKEN_BYTES = 32;
const COOKIE_MAX_AGE = 365 * 86400;
export const CSRF_FAILURE_MESSAGE =
  "Your form was not sent: the page it came from had expired, or it came from another site (a security check). Go back, reload the page and try again.";

// Every first visit needs a new token: fresh random bytes are drawn 128 tokens at a
// time (as crypto.randomUUID does), which costs far less than one draw per token.
const randomPool = Buffer.alloc(TOKEN_BYTES * 128);
let poolOffset = randomPool.length;

function newToken(): string {
  if (poolOffset === randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  poolOffset += TOKEN_BYTES;
  return randomPool.toString("base64url", poolOffset - TOKEN_BYTES, poolOffset);
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function crossSite(origin: string | undefined, secFetchSite: string | undefined, ownOrigin: string): boolean {
  if (secFetchSite === "cross-site" || secFetchSite === "same-site") return true;
  return origin !== undefined && origin !== ownOrigin;
}

export function csrfProtection(errorPage: ErrorPage): RequestStep {
  return (c) => {
    const cookieToken = getCookie(c, CSRF_COOKIE);
    const hasValidCookie = cookieToken !== undefined && TOKEN_SHAPE.test(cookieToken);
    if (!SAFE_METHODS.has(c.req.method)) {
      const submitted = c.get("form")?.[CSRF_FIELD];
      const rejected =
        !hasValidCookie ||
        submitted === undefined ||
        !sameToken(submitted, cookieToken) ||
        crossSite(c.req.header("Origin"), c.req.header("Sec-Fetch-Site"), c.get("origin"));
      if (rejected) {
        c.get("logger")().warn("request refused: CSRF check failed");
        return errorPage(c, 403, CSRF_FAILURE_MESSAGE);
      }
    }
    const token = hasValidCookie ? cookieToken : newToken();
    c.set("csrfToken", token);
    if (!hasValidCookie) setCookie(c, CSRF_COOKIE, token, cookieOptions(c, COOKIE_MAX_AGE));
    return undefined;
  };
}

/** A new token at login: one planted in or read from the browser before it is then useless. */
export function rotateCsrfToken(c: Context<AppEnv>): void {
  const token = newToken();
  c.set("csrfToken", token);
  setCookie(c, CSRF_COOKIE, token, cookieOptions(c, COOKIE_MAX_AGE));
}
