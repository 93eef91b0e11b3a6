// Gives each request an id (the caller's X-Request-Id if sane, else a new one),
// a child logger carrying it, and one log line when the response is done.
// The child logger is made on first use: most requests log nothing but their
// request line, and making a child runs the logger's redaction over its bindings.
import { randomUUID } from "node:crypto";
import { createMiddleware } from "hono/factory";
import { type Logger, requestLineLogger } from "../logger.ts";
import type { AppEnv } from "./app-env.ts";
import { setHeader, withPreparedHeaders } from "./response-headers.ts";

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(logger: Logger) {
  const requestLines = requestLineLogger(logger);
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("X-Request-Id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    let requestLogger: Logger | undefined;
    c.set("logger", () => {
      requestLogger ??= logger.child({ requestId });
      return requestLogger;
    });
    c.set("user", null);
    c.set("flash", null);
    setHeader(c, "X-Request-Id", requestId);
    await next();
    withPreparedHeaders(c, c.res);
    requestLines.info({
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  });
}
