// Expired sessions and login tokens (which are also the rate-limit records) are purged,
// automatically about hourly and by `superlists cleanup`, so the tables stay bounded
// however long the site runs, while every session and token still in use survives.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { issueLoginToken, recentLoginRequests, redeemLoginToken } from "../../src/accounts/login-tokens.ts";
import { createSession, sessionUser } from "../../src/accounts/sessions.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { purgeExpired } from "../../src/retention/purge-expired.ts";
import { PURGE_INTERVAL_MS, schedulePurge } from "../../src/retention/purge-schedule.ts";
import { capturedLogs } from "../support/captured-logs.ts";
import { rowCounts } from "../support/row-counts.ts";
import { runCli } from "../support/run-cli.ts";
import { type MigratedTestDatabase, openMigratedTestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TOKEN_SECONDS = 15 * 60;
const SESSION_SECONDS = DAY / 1000;

let testDatabase: MigratedTestDatabase;
let cleanups: (() => Promise<void>)[];
beforeEach(async () => {
  testDatabase = await openMigratedTestDatabase();
  cleanups = [];
});
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups) await cleanup();
  await testDatabase.close();
});

/** Ten minutes of traffic: two logins (a session each) and three login emails. */
async function tenMinutesOfTraffic(step: number): Promise<{ session: string; token: string }> {
  const { db } = testDatabase.database;
  const session = await createSession(db, `user${step % 50}@example.com`, SESSION_SECONDS);
  await createSession(db, `other${step % 50}@example.com`, SESSION_SECONDS);
  let token = "";
  for (let n = 0; n < 3; n++) {
    token = await issueLoginToken(db, {
      email: `user${step % 50}@example.com`,
      requesterIp: `192.0.2.${n}`,
      browserHash: "a-browser",
      nextPath: "/",
      maxAgeSeconds: TOKEN_SECONDS,
    });
  }
  vi.setSystemTime(Date.now() + 10 * MINUTE);
  return { session, token };
}

describe("a 3-day soak with the clock moved forward", () => {
  test("with an hourly purge the tables stay bounded; live sessions, tokens and rate limits are untouched", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { db } = testDatabase.database;
    let peak = { sessions: 0, login_tokens: 0 };
    let latest = { session: "", token: "" };
    for (let step = 0; step < 3 * 24 * 6; step++) {
      latest = await tenMinutesOfTraffic(step);
      if (step % 6 !== 5) continue;
      // The tables are at their largest just before a purge.
      const counts = await rowCounts(db);
      peak = {
        sessions: Math.max(peak.sessions, counts.sessions ?? 0),
        login_tokens: Math.max(peak.login_tokens, counts.login_tokens ?? 0),
      };
      await purgeExpired(db);
    }
    // A day of sessions (2 per 10 minutes) plus an hour between purges; an hour of
    // rate-limit records (3 per 10 minutes) past their expiry, plus an hour between purges.
    expect(peak.sessions).toBeLessThanOrEqual(2 * 6 * 25);
    expect(peak.login_tokens).toBeLessThanOrEqual(3 * 6 * 2 + 3);
    // Three days without purging would have held 864 sessions and 1,296 tokens.

    expect(await sessionUser(db, latest.session)).toBeDefined();
    expect(await redeemLoginToken(db, latest.token)).toBeDefined();
    // The last hour's login emails (one step per address, five from this IP) still count towards the limits.
    const limits = { email: "user31@example.com", requesterIp: "192.0.2.0", cooldownSeconds: 60 };
    expect(await recentLoginRequests(db, limits)).toMatchObject({ forAddress: 3, fromIp: 5 });
    await purgeExpired(db);
    expect(await recentLoginRequests(db, limits)).toMatchObject({ forAddress: 3, fromIp: 5 });
  });
});

describe("the automatic purge", () => {
  test("runs within the first hour and then about hourly, never more often; stops when asked", async () => {
    // pg times its queries with setTimeout too: a timeout far beyond the hours skipped here.
    const database = openDatabase(parseDatabaseUrl(testDatabase.url), { timeoutMs: DAY });
    cleanups.push(() => database.db.destroy());
    const { db } = database;
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    await createSession(db, "gone@example.com", 60);
    const { logger, lines } = capturedLogs();
    const stop = schedulePurge(database, logger, () => 0.5);
    // A purge's queries are real I/O that the fake clock does not wait for: its log line
    // says when it is done.
    const purges = () => lines.filter((line) => line.msg === "expired rows purged");
    try {
      await vi.advanceTimersByTimeAsync(PURGE_INTERVAL_MS / 2);
      await vi.waitFor(() => expect(purges()).toHaveLength(1));
      expect((await rowCounts(db)).sessions).toBe(0);

      // The next run is at least 90 % of an hour later.
      await createSession(db, "gone-too@example.com", 60);
      await vi.advanceTimersByTimeAsync(0.9 * PURGE_INTERVAL_MS - 2 * MINUTE);
      expect((await rowCounts(db)).sessions).toBe(1);
      expect(purges()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(0.1 * PURGE_INTERVAL_MS + 2 * MINUTE);
      await vi.waitFor(() => expect(purges()).toHaveLength(2));
      expect((await rowCounts(db)).sessions).toBe(0);
    } finally {
      stop();
    }
    await createSession(db, "after-stop@example.com", 60);
    await vi.advanceTimersByTimeAsync(3 * PURGE_INTERVAL_MS);
    expect((await rowCounts(db)).sessions).toBe(1);
  });
});

describe("superlists cleanup", () => {
  test("deletes the expired rows of the configured database and says how many", async () => {
    const { db } = testDatabase.database;
    const past = Date.now() - 2 * DAY;
    await createSession(db, "active@example.com", SESSION_SECONDS);
    await db
      .insertInto("sessions")
      .values({ key_hash: "expired-session", email: "active@example.com", created_at: past, expires_at: past + HOUR })
      .execute();
    await db
      .insertInto("login_tokens")
      .values(
        [1, 2].map((n) => ({
          token_hash: `old-token-${n}`,
          email: "active@example.com",
          requester_ip: "192.0.2.1",
          created_at: past,
          expires_at: past + 15 * MINUTE,
          used_at: null,
        })),
      )
      .execute();

    const result = await runCli(["cleanup"], { SUPERLISTS_ENV: "test", DATABASE_URL: testDatabase.url });
    expect(result).toEqual({
      code: 0,
      stdout:
        "deleted 1 expired sessions, 2 expired login tokens, 0 old share-email records and 0 removed items past undo\n",
      stderr: "",
    });
    expect(await rowCounts(db)).toMatchObject({ sessions: 1, login_tokens: 0 });
  });
});
