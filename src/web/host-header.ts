// Refuses a Host header that is not a host name, IPv4 or bracketed IPv6 address with an
// optional port, whatever ALLOWED_HOSTS says (Django's host_validation_re, which does the
// same). @hono/node-server builds the request URL by prefixing the Host header to the
// path; it rejects most malformed hosts, but one that the URL parser normalizes to a name
// of the same length ("0/    !" → "0.0.0.0") slips through and moves part of the header
// into the path the router sees.

import type { RequestStep } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";

export const VALID_HOST_HEADER = /^(?:[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$/i;

export function validHostHeader(errorPage: ErrorPage): RequestStep {
  return (c) => {
    // HTTP/1.0 may omit Host (Node refuses HTTP/1.1 without one); the server's own name is used then.
    const host = c.req.header("Host");
    if (host === undefined || VALID_HOST_HEADER.test(host)) return undefined;
    c.get("logger")().warn({ host }, "request refused: malformed Host header");
    return errorPage(c, 400, "The Host header of this request is not a valid host name.");
  };
}
