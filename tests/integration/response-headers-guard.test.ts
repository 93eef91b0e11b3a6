// Headers go through src/web/response-headers.ts. A route that uses Hono's own
// c.header() (or its cookie helpers, which call it) would lose the header without a
// word, whatever its context variable is called: in development and test it fails loudly.
import { Hono } from "hono";
import { setCookie as honoSetCookie } from "hono/cookie";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { AppEnv } from "../../src/web/app-env.ts";
import { respond, setHeader } from "../../src/web/response-headers.ts";
import { capturedLogs } from "../support/captured-logs.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let testApp: TestApp;
const logs = capturedLogs();

beforeAll(async () => {
  testApp = await createTestApp({}, { logger: logs.logger });
  const routes = new Hono<AppEnv>();
  routes.get("/hono-header", (context) => {
    context.header("X-Would-Be-Lost", "yes");
    return respond(context, "body", 200);
  });
  routes.get("/hono-cookie", (ctx) => {
    honoSetCookie(ctx, "lost", "yes");
    return respond(ctx, "body", 200);
  });
  routes.get("/house-header", (context) => {
    setHeader(context, "X-Kept", "yes");
    return respond(context, "body", 200);
  });
  testApp.app.route("/guard", routes);
});
afterAll(() => testApp.close());

test.each(["/guard/hono-header", "/guard/hono-cookie"])(
  "%s: a 500, and the log says what to use instead",
  async (path) => {
    const response = await testApp.client().get(path);
    expect(response.status).toBe(500);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        msg: "unhandled error",
        err: expect.objectContaining({ message: expect.stringContaining("src/web/response-headers.ts") }),
      }),
    );
  },
);

test("a header set through response-headers.ts reaches the response", async () => {
  const response = await testApp.client().get("/guard/house-header");
  expect(response.status).toBe(200);
  expect(response.headers.get("X-Kept")).toBe("yes");
});
