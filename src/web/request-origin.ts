// A step that works out, once, where the request came from as the browser sees it:
// the origin it used (scheme, host and port; behind a TLS-terminating proxy with
// TRUST_PROXY=1, the forwarded scheme) and the client's address (with TRUST_PROXY, the
// one the proxy appended last to X-Forwarded-For).
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { RequestStep } from "./app-env.ts";
import { normalizeClientAddress } from "./client-address.ts";

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

function browserOrigin(c: Context, trustProxy: boolean): string {
  const url = c.req.url;
  const forwardedProto = trustProxy ? c.req.header("X-Forwarded-Proto")?.split(",")[0]?.trim() : undefined;
  const protocol =
    forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : url.slice(0, url.indexOf(":"));
  return `${protocol}://${urlHost(url)}`;
}

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

export function requestOrigin(trustProxy: boolean): RequestStep {
  return (c) => {
    c.set("origin", browserOrigin(c, trustProxy));
    let ip: string | undefined;
    c.set("clientIp", () => {
      ip ??= normalizeClientAddress(clientIp(c, trustProxy));
      return ip;
    });
    return undefined;
  };
}
