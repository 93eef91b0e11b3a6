// Which database failures the user sees as a 503 "try again" (and which count as the
// storage refusing writes, making /readyz not ready), in either dialect.
import { expect, test } from "vitest";
import {
  isDatabaseUnavailable,
  isStorageFailure,
  loggableDatabaseError,
  PoolQueueFullError,
} from "../../src/db/errors.ts";

function withFields(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

test.each([
  [
    "PostgreSQL ended the session (pg_terminate_backend, a restart)",
    withFields("terminating connection", { code: "57P01" }),
  ],
  ["statement_timeout", withFields("canceling statement due to statement timeout", { code: "57014" })],
  ["the connection reset under a request", withFields("read ECONNRESET", { code: "ECONNRESET" })],
  ["the server refused to connect", withFields("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" })],
  ["pg's own message for a dropped connection", new Error("Connection terminated unexpectedly")],
  ["pg-pool's connect timeout", new Error("timeout exceeded when trying to connect")],
  ["pg's query_timeout", new Error("Query read timeout")],
  ["the pool's queue full", new PoolQueueFullError(100)],
  ["wrapped by another error", new Error("outer", { cause: withFields("inner", { code: "57P01" }) })],
])("unavailable: %s", (_, error) => {
  expect(isDatabaseUnavailable(error)).toBe(true);
});

test.each([
  ["SQLITE_FULL", withFields("database or disk is full", { errcode: 13 })],
  ["SQLITE_READONLY_DBMOVED (an extended code)", withFields("attempt to write a readonly database", { errcode: 1032 })],
  ["SQLITE_IOERR_WRITE", withFields("disk I/O error", { errcode: 778 })],
  ["SQLITE_CANTOPEN", withFields("unable to open database file", { errcode: 14 })],
  ["PostgreSQL disk_full", withFields("could not extend file", { code: "53100" })],
  [
    "PostgreSQL read-only transaction (a standby)",
    withFields("cannot execute INSERT in a read-only transaction", { code: "25006" }),
  ],
])("storage failure (and so unavailable): %s", (_, error) => {
  expect(isStorageFailure(error)).toBe(true);
  expect(isDatabaseUnavailable(error)).toBe(true);
});

test.each([
  ["a bug", new TypeError("cannot read properties of undefined")],
  ["a unique violation", withFields("duplicate key", { code: "23505" })],
  ["SQLITE_BUSY (answered as busy, not unavailable)", withFields("database is locked", { errcode: 5 })],
  ["not an error at all", "a string"],
])("not unavailable: %s", (_, error) => {
  expect(isDatabaseUnavailable(error)).toBe(false);
  expect(isStorageFailure(error)).toBe(false);
});

test("what is logged of a pg error leaves out the client pg attaches, with its cancel key", () => {
  const error = withFields("terminating connection due to administrator command", {
    code: "57P01",
    severity: "FATAL",
    client: { processID: 4242, secretKey: 123456789, connectionParameters: { password: "hunter2" } },
  });
  const logged = JSON.stringify(loggableDatabaseError(error));
  expect(logged).toContain("57P01");
  expect(logged).toContain("terminating connection");
  expect(logged).not.toMatch(/secretKey|123456789|processID|hunter2/);
});
