// The same failure on every request is logged once per interval, then its count.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { RepeatedErrorLog } from "../../src/db/repeated-error-log.ts";
import { capturedLogs } from "../support/captured-logs.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("the first of each kind is logged at once; the repeats as one count when the interval ends", () => {
  const { logger, lines } = capturedLogs();
  const log = new RepeatedErrorLog(10_000);
  for (let n = 0; n < 1500; n++)
    log.warn(logger, "disk full", { err: { message: "disk full" } }, "database unavailable");
  log.warn(logger, "connection reset", { err: { message: "reset" } }, "database unavailable");
  expect(lines.map((line) => [line.msg, line.err?.message])).toEqual([
    ["database unavailable", "disk full"],
    ["database unavailable", "reset"],
  ]);

  vi.advanceTimersByTime(10_000);
  expect(lines.slice(2).map((line) => [line.msg, line.repeated, line.intervalSeconds])).toEqual([
    ["database unavailable (repeated)", 1499, 10],
  ]);

  // A new interval logs the failure in full again.
  log.warn(logger, "disk full", { err: { message: "disk full" } }, "database unavailable");
  expect(lines).toHaveLength(4);
  expect(lines[3]?.err?.message).toBe("disk full");
  vi.advanceTimersByTime(10_000);
  expect(lines).toHaveLength(4);
});
