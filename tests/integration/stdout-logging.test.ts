// The server's log lines on stdout: request lines are written in batches, yet a quiet
// server's lines still show up within a moment, and every line keeps its place: the
// request lines waiting when another line is logged are written before it.
import { expect, test } from "vitest";
import { LOG_FLUSH_MS } from "../../src/runtime/logger.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";

const running = serverOnTestDatabase("each");

const requestLinesFor = (path: string) =>
  running()
    .server.logLines()
    .filter((line) => line.path === path);

test("one request's line, far less than a batch, reaches stdout within the flush interval", async () => {
  const { server } = running();
  const response = await fetch(`${server.url}/healthz`);
  expect(response.status).toBe(200);
  // Generous against a loaded machine; without the periodic flush the line would wait for 4 KB more.
  await expect.poll(() => requestLinesFor("/healthz").length, { timeout: LOG_FLUSH_MS * 8 }).toBe(1);
  expect(requestLinesFor("/healthz")[0]).toMatchObject({ method: "GET", status: 200 });
});

test("the lines of requests served just before SIGTERM come before the shutdown's lines", async () => {
  const { server } = running();
  for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/healthz?n=${i}`)).status).toBe(200);
  expect(await server.stop()).toBe(0);
  const lines = server.logLines();
  const firstRequest = lines.findIndex((line) => line.path === "/healthz");
  const shuttingDown = lines.findIndex((line) => line.msg === "shutting down: finishing in-flight requests");
  expect(firstRequest).toBeGreaterThanOrEqual(0);
  expect(shuttingDown).toBeGreaterThan(firstRequest);
  expect(lines.slice(firstRequest, shuttingDown).map((line) => line.path)).toEqual(Array(5).fill("/healthz"));
  expect(lines.at(-1)).toMatchObject({ msg: "shut down cleanly" });
});
