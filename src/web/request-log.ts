// The request's logger (carrying its id, made on first use) and, when the response is
// done, the request's one log line and, with metrics on, its duration in the metrics.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Logger } from "../runtime/logger.ts";
import type { AppEnv } from "./app-env.ts";

export type RequestLogOptions = {
  /** Told of every answered request, with its duration: the request metrics, when on. */
  recordDuration?: ((c: Context, seconds: number) => void) | undefined;
};

export function requestLog(logger: Logger, { recordDuration }: RequestLogOptions = {}) {
  // The request line's fields are fixed and hold no secret: no need for the wildcard
  // redaction, which is most of the cost of a line.
  const requestLines = logger.child({}, { redact: [] });
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const requestId = c.get("requestId");
    let requestLogger: Logger | undefined;
    c.set("logger", () => {
      requestLogger ??= logger.child({ requestId });
      return requestLogger;
    });
    await next();
    const durationMs = performance.now() - started;
    recordDuration?.(c, durationMs / 1000);
    requestLines.info({
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(durationMs * 100) / 100,
    });
  });
}
