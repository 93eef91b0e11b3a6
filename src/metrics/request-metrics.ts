// Times every request into http_request_duration_seconds. The route label is the
// pattern that answered ("/lists/:id/"), never the raw path: list ids and tokens
// would make a series per list and leak secrets into the metrics.
import type { Context } from "hono";
import { routePath } from "hono/route";
import { enabledMetrics } from "./metrics.ts";

function routeLabel(c: Context): string {
  // After the handlers ran, the last matched route is the one that answered.
  const pattern = routePath(c);
  if (pattern !== "" && pattern !== "*" && pattern !== "/*") return pattern;
  // Static files are answered by a step before the routes (src/app.ts), not by a route.
  return c.req.path.startsWith("/static/") ? "/static/*" : "unmatched";
}

/**
 * Records one answered request. Called by the request context, which already times every
 * request for its log line, rather than by a middleware of its own: a second async layer
 * around every request cost more than the histogram (docs/performance.md, "Metrics").
 */
export function recordRequestDuration(c: Context, seconds: number): void {
  enabledMetrics()?.httpRequestDuration.observe(
    { method: c.req.method, route: routeLabel(c), status: String(c.res.status) },
    seconds,
  );
}
