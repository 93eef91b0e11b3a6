// Gives each request an id (the caller's X-Request-Id if sane, else a new one), a
// logger carrying it, the origin and client address the rest of the app relies on
// (worked out here once), and one log line when the response is done (and, with
// metrics on, one observation of its duration).
import { randomUUID } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Logger } from "../runtime/logger.ts";
import type { AppEnv } from "./app-env.ts";
import { normalizeClientAddress } from "./client-address.ts";
import { setHeader, withPreparedHeaders } from "./response-headers.ts";

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The host (and port) of a request URL, as `new URL(url).host` gives it. The URLs
 * @hono/node-server makes are already normalized, so slicing out the authority
 * suffices; only one carrying user info ("http://user@host/") needs the parser.
 */
export function urlHost(url: string): string {
  const start = url.indexOf("//") + 2;
  const end = url.indexOf("/", start);
  const authority = end === -1 ? url.slice(start) : url.slice(start, end);
  return authority.includes("@") ? new URL(url).host : authority;
}

/** The scheme the browser used: behind a TLS-terminating proxy (TRUST_PROXY=1), its X-Forwarded-Proto. */
function requestOrigin(c: Context, trustProxy: boolean): string {
  const url = c.req.url;
  const forwardedProto = trustProxy ? c.req.header("X-Forwarded-Proto")?.split(",")[0]?.trim() : undefined;
  const protocol =
    forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : url.slice(0, url.indexOf(":"));
  return `${protocol}://${urlHost(url)}`;
}

/** The socket's peer, or with TRUST_PROXY the address the proxy appended last to X-Forwarded-For. */
function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // In-process requests (tests) have no socket.
    return "unknown";
  }
}

/**
 * Hono's `c.header()` (which its cookie helpers and `c.redirect()` use too) keeps headers
 * where a response made by response-headers.ts never looks: they would be lost without a
 * word. In development and test it throws instead, so that the mistake fails the tests.
 */
function refuseHonoHeaders(): never {
  throw new Error(
    "c.header() (and Hono's cookie helpers) would lose the header: use setHeader/setCookie from src/web/response-headers.ts",
  );
}

export type RequestContextOptions = {
  trustProxy: boolean;
  guardHeaders: boolean;
  /** Told of every answered request, with its duration: the request metrics, when on. */
  recordDuration?: ((c: Context, seconds: number) => void) | undefined;
};

export function requestContext(logger: Logger, { trustProxy, guardHeaders, recordDuration }: RequestContextOptions) {
  // The request line's fields are fixed and hold no secret: no need for the wildcard
  // redaction, which is most of the cost of a line.
  const requestLines = logger.child({}, { redact: [] });
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    if (guardHeaders) c.header = refuseHonoHeaders;
    const incoming = c.req.header("X-Request-Id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    let requestLogger: Logger | undefined;
    c.set("logger", () => {
      requestLogger ??= logger.child({ requestId });
      return requestLogger;
    });
    c.set("origin", requestOrigin(c, trustProxy));
    let ip: string | undefined;
    c.set("clientIp", () => {
      ip ??= normalizeClientAddress(clientIp(c, trustProxy));
      return ip;
    });
    c.set("user", null);
    c.set("flash", null);
    setHeader(c, "X-Request-Id", requestId);
    await next();
    withPreparedHeaders(c, c.res);
    const durationMs = performance.now() - started;
    recordDuration?.(c, durationMs / 1000);
    requestLines.info({
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(durationMs * 100) / 100,
    });
  });
}
