// Refuses requests whose Host header is not one of ALLOWED_HOSTS (port ignored),
// so links built from the Host header (login emails) cannot be poisoned.

import type { RequestStep } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";
import { urlHost } from "./request-origin.ts";

/** The host name of a Host header without its port; IPv6 literals keep their brackets. */
export function hostName(hostHeader: string): string {
  const header = hostHeader.trim().toLowerCase();
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  const colon = header.indexOf(":");
  return colon === -1 ? header : header.slice(0, colon);
}

/** Exact names match; an entry starting with "." also matches its subdomains (as in Django). */
export function isAllowedHost(hostHeader: string | undefined, allowed: string[]): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  return allowed.some((entry) =>
    entry.startsWith(".") ? name === entry.slice(1) || name.endsWith(entry) : name === entry,
  );
}

export function allowedHosts(allowed: string[] | "any", errorPage: ErrorPage): RequestStep {
  return (c) => {
    // Links are built from the request URL's host. For an absolute-form target
    // ("POST http://other.example/… HTTP/1.1") Node takes that host from the target,
    // not from the Host header, so both must be allowed.
    if (allowed === "any") return undefined;
    const host = urlHost(c.req.url);
    if (!(isAllowedHost(c.req.header("Host"), allowed) && isAllowedHost(host, allowed))) {
      c.get("logger")().warn(
        { host: c.req.header("Host"), urlHost: host },
        "request refused: host not in ALLOWED_HOSTS",
      );
      return errorPage(c, 400, "This host name is not served here.");
    }
    return undefined;
  };
}
