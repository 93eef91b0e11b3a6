// Headers that make the browser refuse whole classes of attack (everything is
// same-origin, no inline script or style, no framing, no MIME sniffing), on every
// response, probes and errors included: Hono's secure-headers middleware. HSTS is the
// TLS-terminating proxy's to send (infra/), which knows the site is served over HTTPS.
import { secureHeaders } from "hono/secure-headers";

/**
 * The one inline style allowed: the `<style>` of Turbo's progress bar (@hotwired/turbo
 * 8.0.23), by its hash. Another Turbo version may change it: the functional test of live
 * lists fails on the browser's CSP message, which names the new hash.
 */
const TURBO_PROGRESS_BAR_STYLE = "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='";

export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", TURBO_PROGRESS_BAR_STYLE],
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
