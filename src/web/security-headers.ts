// Headers that make the browser refuse whole classes of attack: everything is
// same-origin, no inline script or style, no framing, no MIME sniffing.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";

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

// Set before the route runs, so every response made through the context (pages,
// errors, redirects, files) carries them. Setting a header on a finished response
// would make @hono/node-server rebuild it as a web stream: several times slower.
export function securityHeaders() {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    c.header("X-Frame-Options", "DENY");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    await next();
  });
}
