// The scheme and host the browser used. Behind a TLS-terminating proxy
// (TRUST_PROXY=1) the proxy's X-Forwarded-Proto tells the real scheme.
import type { Context } from "hono";

export function requestOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const forwardedProto = trustProxy ? c.req.header("X-Forwarded-Proto")?.split(",")[0]?.trim() : undefined;
  const protocol = forwardedProto === "https" || forwardedProto === "http" ? `${forwardedProto}:` : url.protocol;
  return `${protocol}//${url.host}`;
}

export function isHttps(c: Context, trustProxy: boolean): boolean {
  return requestOrigin(c, trustProxy).startsWith("https:");
}
