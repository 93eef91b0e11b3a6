// Times every request into http_request_duration_seconds. The route label is the
// pattern that answered ("/lists/:id/"), never the raw path: list ids and tokens
// would make a series per list and leak secrets into the metrics.
import type { Context, MiddlewareHandler } from "hono";
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
 * Mount first (before the other middleware) so that the time includes theirs, and only
 * when METRICS_PORT is set; it records once enableMetrics has run.
 */
export function requestMetrics(): MiddlewareHandler {
  return async (c, next) => {
    const metrics = enabledMetrics();
    if (!metrics) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.httpRequestDuration.observe(
        { method: c.req.method, route: routeLabel(c), status: String(c.res.status) },
        (performance.now() - started) / 1000,
      );
    }
  };
}
