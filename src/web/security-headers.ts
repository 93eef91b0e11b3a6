// Headers that make the browser refuse whole classes of attack (everything is
// same-origin, no inline script or style, no framing, no MIME sniffing), on every
// response, probes and errors included: Hono's secure-headers middleware. HSTS is the
// TLS-terminating proxy's to send (infra/), which knows the site is served over HTTPS.
import { secureHeaders } from "hono/secure-headers";

export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    referrerPolicy: "same-origin",
    strictTransportSecurity: false,
  });
}
