// Headers that make the browser refuse whole classes of attack (everything is
// same-origin, no inline script or style, no framing, no MIME sniffing), and keep
// pages out of every cache: most depend on the session or on a secret list URL.
// Static files set their own caching.
import type { RequestStep } from "./app-env.ts";
import { setHeader } from "./response-headers.ts";

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders(): RequestStep {
  return (c) => {
    setHeader(c, "Content-Security-Policy", CONTENT_SECURITY_POLICY);
    setHeader(c, "X-Frame-Options", "DENY");
    setHeader(c, "X-Content-Type-Options", "nosniff");
    setHeader(c, "Referrer-Policy", "same-origin");
    setHeader(c, "Cross-Origin-Opener-Policy", "same-origin");
    setHeader(c, "Cache-Control", "no-store");
    setHeader(c, "Vary", "Cookie");
    return undefined;
  };
}
