// The headers of the response being prepared, kept in a plain object, and the
// helpers that make every response of the app with them (pages, redirects, JSON,
// files, cookies). @hono/node-server hands a plain object straight to Node's
// writeHead; Hono's own c.header() goes through a web Headers object that the adapter
// then turns back into a plain object. Kept because it measurably pays on every page
// (docs/performance.md, "Hand-made mechanisms"); so that no header is ever lost, the
// app's requests refuse Hono's c.header() in development and test (request-context.ts).
import type { Context } from "hono";
import type { StatusCode } from "hono/utils/http-status";
import type { AppEnv, PreparedHeaders } from "./app-env.ts";

/** The request's prepared headers, made by the first header or cookie set (the request id's). */
function prepared(c: Context<AppEnv>): PreparedHeaders {
  let found = c.get("responseHeaders");
  if (!found) {
    found = { headers: {}, cookies: [] };
    c.set("responseHeaders", found);
  }
  return found;
}

export function setHeader(c: Context<AppEnv>, name: string, value: string): void {
  prepared(c).headers[name] = value;
}

export type CookieOptions = {
  /** Seconds; 0 deletes the cookie. Without it, the cookie ends with the browser session. */
  maxAge?: number;
};

// Names and values are the app's own (tokens, signed JSON, base64url keys): checked
// here once so that a mistake fails loudly instead of producing a broken header.
const COOKIE_NAME = /^[A-Za-z0-9_.-]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/**
 * Every cookie of the app is HttpOnly, SameSite=Lax and for the whole site, and
 * Secure (never sent in clear) whenever the site is served over HTTPS.
 */
export function setCookie(c: Context<AppEnv>, name: string, value: string, options: CookieOptions = {}): void {
  if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value)) throw new Error(`invalid cookie ${name}`);
  let cookie = `${name}=${value}; Path=/; HttpOnly; SameSite=Lax`;
  if (options.maxAge !== undefined) cookie += `; Max-Age=${options.maxAge}`;
  if (c.get("origin").startsWith("https:")) cookie += "; Secure";
  prepared(c).cookies.push(cookie);
}

export function deleteCookie(c: Context<AppEnv>, name: string): void {
  setCookie(c, name, "", { maxAge: 0 });
}

/** A response with the request's headers (and `extra`, which wins). */
export function respond(
  c: Context<AppEnv>,
  body: string | Uint8Array | null,
  status: StatusCode,
  extra: Record<string, string> = {},
): Response {
  const found = prepared(c);
  const { headers, cookies } = found;
  const all: Record<string, string> = { ...headers, ...extra };
  // A web Headers object built from a record would join several cookies into one
  // header: those go as name-value pairs instead.
  let init: HeadersInit = all;
  if (cookies.length === 1) all["Set-Cookie"] = cookies[0] as string;
  else if (cookies.length > 1)
    init = [...Object.entries(all), ...cookies.map((cookie): [string, string] => ["Set-Cookie", cookie])];
  const response = new Response(body as BodyInit | null, { status, headers: init });
  found.made = response;
  return response;
}

export function redirect(c: Context<AppEnv>, location: string, status: 301 | 302 = 302): Response {
  // Without a length Node would frame the empty body as chunked.
  return respond(c, null, status, { Location: location, "Content-Length": "0" });
}

export function respondJson(c: Context<AppEnv>, data: unknown, status: StatusCode = 200): Response {
  return respond(c, JSON.stringify(data), status, { "Content-Type": "application/json" });
}

/** For a response this module did not make (Hono's own): adds the prepared headers to it. */
export function withPreparedHeaders(c: Context<AppEnv>, response: Response): void {
  const { headers, cookies, made } = prepared(c);
  if (made === response) return;
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  for (const cookie of cookies) response.headers.append("Set-Cookie", cookie);
}
