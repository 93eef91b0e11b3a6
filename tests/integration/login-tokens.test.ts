import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  issueLoginToken,
  recentLoginRequests,
  redeemLoginToken,
  revokeLoginToken,
} from "../../src/accounts/login-tokens.ts";
import type { Database } from "../../src/db/database.ts";
import { type MigratedTestDatabase, openMigratedTestDatabase } from "../support/test-database.ts";

let testDatabase: MigratedTestDatabase;
let database: Database;
beforeAll(async () => {
  testDatabase = await openMigratedTestDatabase();
  database = testDatabase.database;
});
afterAll(() => testDatabase.close());

const FIFTEEN_MINUTES = 15 * 60;
let counter = 0;
/** A fresh address per test, so tests never see each other's tokens. */
const freshEmail = () => `user${++counter}-${Date.now()}@example.com`;

function issue(email = freshEmail(), requesterIp = "192.0.2.1") {
  return issueLoginToken(database.db, { email, requesterIp, maxAgeSeconds: FIFTEEN_MINUTES });
}

describe("login tokens", () => {
  test("are URL-safe, carry at least 128 random bits and never repeat", async () => {
    const tokens = await Promise.all(Array.from({ length: 50 }, () => issue()));
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      // base64url: 6 bits per character.
      expect(token.length * 6).toBeGreaterThanOrEqual(128);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test("are stored only as a hash: the database alone cannot log anyone in", async () => {
    const email = freshEmail();
    const token = await issue(email);
    const rows = await database.db.selectFrom("login_tokens").selectAll().where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await redeemLoginToken(database.db, rows[0]?.token_hash ?? "")).toBeUndefined();
  });

  test("work once: the first use gives the email, any later use nothing", async () => {
    const email = freshEmail();
    const token = await issue(email);
    expect(await redeemLoginToken(database.db, token)).toBe(email);
    expect(await redeemLoginToken(database.db, token)).toBeUndefined();
  });

  test("used by two requests at once, log in exactly one of them", async () => {
    const email = freshEmail();
    const token = await issue(email);
    const results = await Promise.all(Array.from({ length: 10 }, () => redeemLoginToken(database.db, token)));
    expect(results.filter((result) => result === email)).toHaveLength(1);
    expect(results.filter((result) => result === undefined)).toHaveLength(9);
  });

  test("expire after their maximum age", async () => {
    const email = freshEmail();
    const issuedAt = Date.now();
    const token = await issue(email);
    const expiry = issuedAt + FIFTEEN_MINUTES * 1000;
    expect(await redeemLoginToken(database.db, token, expiry + 1000)).toBeUndefined();
    // Just before expiry it works: the refusal above was the expiry, not a broken token.
    expect(await redeemLoginToken(database.db, token, expiry - 1000)).toBe(email);
  });

  test("can be revoked before use (when the email could not be sent)", async () => {
    const token = await issue();
    await revokeLoginToken(database.db, token);
    expect(await redeemLoginToken(database.db, token)).toBeUndefined();
  });

  test.each([
    ["empty", ""],
    ["unknown", "A".repeat(43)],
    ["absurdly long", "A".repeat(10_000)],
    ["not base64", "'; DROP TABLE login_tokens; --"],
  ])("an %s token logs nobody in", async (_, token) => {
    expect(await redeemLoginToken(database.db, token)).toBeUndefined();
  });
});

describe("recent login requests (for rate limits)", () => {
  test("count the last hour's tokens per address and per requesting IP", async () => {
    const email = freshEmail();
    const otherEmail = freshEmail();
    const ip = `198.51.100.${counter}`;
    await issue(email, ip);
    await issue(email, ip);
    await issue(otherEmail, ip);
    await issue(email, "203.0.113.9");
    expect(await recentLoginRequests(database.db, { email, requesterIp: ip })).toEqual({ forEmail: 3, fromIp: 3 });
    expect(await recentLoginRequests(database.db, { email: otherEmail, requesterIp: "203.0.113.250" })).toEqual({
      forEmail: 1,
      fromIp: 0,
    });
    const anHourLater = Date.now() + 3600_000 + 1000;
    expect(await recentLoginRequests(database.db, { email, requesterIp: ip, now: anHourLater })).toEqual({
      forEmail: 0,
      fromIp: 0,
    });
  });
});
