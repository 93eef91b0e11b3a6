// The scheme and host the browser used. Behind a TLS-terminating proxy
// (TRUST_PROXY=1) the proxy's X-Forwarded-Proto tells the real scheme.
import type { Context } from "hono";

/**
 * The host (and port) of a request URL, as `new URL(url).host` gives it. The URLs
 * @hono/node-server makes are already normalized, so slicing out the authority
 * suffices (and costs far less than parsing on every request); only one carrying
 * user info ("http://user@host/") needs the parser.
 */
export function urlHost(url: string): string {
  const start = url.indexOf("//") + 2;
  const end = url.indexOf("/", start);
  const authority = end === -1 ? url.slice(start) : url.slice(start, end);
  return authority.includes("@") ? new URL(url).host : authority;
}

export function requestOrigin(c: Context, trustProxy: boolean): string {
  const url = c.req.url;
  const forwardedProto = trustProxy ? c.req.header("X-Forwarded-Proto")?.split(",")[0]?.trim() : undefined;
  const protocol =
    forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : url.slice(0, url.indexOf(":"));
  return `${protocol}://${urlHost(url)}`;
}

export function isHttps(c: Context, trustProxy: boolean): boolean {
  return requestOrigin(c, trustProxy).startsWith("https:");
}
