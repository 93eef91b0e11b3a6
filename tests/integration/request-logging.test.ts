// What an operator reads in production: one JSON line per request with its id,
// and for an unhandled error the stack under that same id, which the user's
// "Server Error (500)" page quotes (and never the stack itself).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLogger } from "../../src/runtime/logger.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// In process, requests are made to http://testserver.
const HOST = { Host: "testserver" };

type LogLine = { level: number; msg?: string; err?: { message?: string; stack?: string } } & Record<string, unknown>;

let testApp: TestApp;
const rawLines: string[] = [];
const logLines = () => rawLines.map((line) => JSON.parse(line) as LogLine);
const requestLines = (requestId: string) => logLines().filter((line) => line.requestId === requestId);

beforeAll(async () => {
  const logger = createLogger({ role: "production", logLevel: "info" }, { write: (line) => rawLines.push(line) });
  testApp = await createTestApp(
    {
      SUPERLISTS_ENV: "production",
      SECRET_KEY: "a-production-secret-key-of-at-least-32-characters",
      ALLOWED_HOSTS: "testserver",
    },
    { logger },
  );
  // Routes added after createApp still match before the 404 handler, behind all the middleware.
  testApp.app.get("/force-error", async () => {
    await Promise.resolve();
    throw new Error("the database is on fire");
  });
});
afterAll(() => testApp.close());

describe("request log lines", () => {
  test("one JSON line per request: a new UUID request id, method, path, status, duration", async () => {
    const response = await testApp.client().get("/", HOST);
    const requestId = response.headers.get("X-Request-Id") ?? "";
    expect(requestId).toMatch(UUID);
    const lines = requestLines(requestId);
    expect(lines).toEqual([expect.objectContaining({ requestId, method: "GET", path: "/", status: 200 })]);
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(lines[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  test("every request gets its own id, whatever its outcome", async () => {
    const client = testApp.client();
    await client.get("/", HOST); // for the CSRF cookie the POST needs
    const responses = [
      await client.get("/lists/0123456789abcdef0123456789abcdef/", HOST),
      await client.post("/lists/new", { text: "Buy milk" }, HOST),
      await client.get("/", { Host: "evil.example.net" }),
    ];
    const ids = responses.map((response) => response.headers.get("X-Request-Id") ?? "");
    expect(new Set(ids).size).toBe(3);
    expect(ids.map((id) => requestLines(id).find((line) => "status" in line))).toEqual([
      expect.objectContaining({ method: "GET", path: "/lists/0123456789abcdef0123456789abcdef/", status: 404 }),
      expect.objectContaining({ method: "POST", path: "/lists/new", status: 302 }),
      expect.objectContaining({ method: "GET", path: "/", status: 400 }),
    ]);
  });

  test("a caller's X-Request-Id is kept, so a proxy's id follows the request", async () => {
    const response = await testApp.client().get("/", { ...HOST, "X-Request-Id": "lb-7f3a-42_1" });
    expect(response.headers.get("X-Request-Id")).toBe("lb-7f3a-42_1");
    expect(requestLines("lb-7f3a-42_1")).toEqual([expect.objectContaining({ path: "/", status: 200 })]);
  });

  test.each([
    ["spaces", "not a request id"],
    ["markup", "<script>"],
    ["too long", "x".repeat(129)],
  ])("an X-Request-Id with %s is replaced by a new one", async (_, incoming) => {
    const response = await testApp.client().get("/", { ...HOST, "X-Request-Id": incoming });
    expect(response.headers.get("X-Request-Id")).toMatch(UUID);
    expect(rawLines.join("")).not.toContain(incoming);
  });

  test("the query string is not logged: login tokens never reach the logs", async () => {
    const response = await testApp.client().get("/accounts/login?token=secret-login-token-value", HOST);
    const requestId = response.headers.get("X-Request-Id") ?? "";
    expect(requestLines(requestId)).toContainEqual(expect.objectContaining({ path: "/accounts/login" }));
    expect(rawLines.join("")).not.toContain("secret-login-token-value");
  });
});

describe("an unhandled error", () => {
  test("logs the stack with the request id; the user gets a 500 page quoting that id, no stack", async () => {
    const response = await testApp.client().get("/force-error", HOST);
    expect(response.status).toBe(500);
    const requestId = response.headers.get("X-Request-Id") ?? "";
    expect(requestId).toMatch(UUID);

    const page = await response.text();
    expect(page).toContain("Server Error (500)");
    expect(page).toContain(requestId);
    expect(page).not.toContain("the database is on fire");
    expect(page).not.toMatch(/at .*\.ts:\d+/);

    const error = requestLines(requestId).find((line) => line.msg === "unhandled error");
    expect(error?.level).toBe(50);
    expect(error?.err?.message).toBe("the database is on fire");
    expect(error?.err?.stack).toMatch(/^Error: the database is on fire\n\s+at /);
    expect(error?.err?.stack).toContain("request-logging.test.ts");
    expect(requestLines(requestId)).toContainEqual(expect.objectContaining({ path: "/force-error", status: 500 }));
  });

  test("the id a proxy sent is the one on the page and in the stack's log line", async () => {
    const response = await testApp.client().get("/force-error", { ...HOST, "X-Request-Id": "trace-4242" });
    expect(await response.text()).toContain("trace-4242");
    expect(requestLines("trace-4242")).toContainEqual(expect.objectContaining({ msg: "unhandled error" }));
  });

  test("each key appears once in the error's log line, so strict JSON log shippers accept it", async () => {
    await testApp.client().get("/force-error", { ...HOST, "X-Request-Id": "once-only" });
    const raw = rawLines.find((line) => line.includes('"once-only"') && line.includes("unhandled error")) ?? "";
    const topLevelKeys = Object.keys(JSON.parse(raw) as object);
    expect(topLevelKeys).toEqual(expect.arrayContaining(["level", "time", "requestId", "msg", "err"]));
    // JSON.parse keeps the last of repeated keys: count each one in the raw text instead.
    for (const key of topLevelKeys) expect(raw.split(`"${key}":`).length - 1, key).toBe(1);
  });
});
