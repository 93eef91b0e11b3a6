import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  issueLoginToken,
  pendingLoginEmail,
  recentLoginRequests,
  redeemLoginToken,
  revokeLoginToken,
} from "../../src/accounts/login-tokens.ts";
import type { Database } from "../../src/db/database.ts";
import { hashToken } from "../../src/web/secret-token.ts";
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

const BROWSER_HASH = hashToken("the requesting browser's cookie value");

function issue(email = freshEmail(), requesterIp = "192.0.2.1", nextPath = "/") {
  return issueLoginToken(database.db, {
    email,
    requesterIp,
    browserHash: BROWSER_HASH,
    nextPath,
    maxAgeSeconds: FIFTEEN_MINUTES,
  });
}

/** The address a redeemed token logged in as. */
async function redeemedEmail(token: string, options: Parameters<typeof redeemLoginToken>[2] = {}) {
  return (await redeemLoginToken(database.db, token, options))?.email;
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
    expect(await redeemedEmail(rows[0]?.token_hash ?? "")).toBeUndefined();
  });

  test("work once: the first use gives the email and return path, any later use nothing", async () => {
    const email = freshEmail();
    const token = await issue(email, "192.0.2.1", "/lists/users/");
    expect(await redeemLoginToken(database.db, token)).toEqual({ email, nextPath: "/lists/users/" });
    expect(await redeemLoginToken(database.db, token)).toBeUndefined();
  });

  test("can be read without being used (the confirmation page)", async () => {
    const email = freshEmail();
    const token = await issue(email);
    expect(await pendingLoginEmail(database.db, token)).toBe(email);
    expect(await pendingLoginEmail(database.db, token)).toBe(email);
    expect(await redeemedEmail(token)).toBe(email);
    expect(await pendingLoginEmail(database.db, token)).toBeUndefined();
  });

  test("redeemed for a browser, work only in the browser that asked for them", async () => {
    const email = freshEmail();
    const token = await issue(email);
    expect(await redeemedEmail(token, { browserHash: hashToken("another browser") })).toBeUndefined();
    expect(await redeemedEmail(token, { browserHash: BROWSER_HASH })).toBe(email);
  });

  test("once one link is used, every other unused link for the address stops working", async () => {
    const email = freshEmail();
    const older = await issue(email);
    const newer = await issue(email);
    const otherAddress = await issue();
    expect(await redeemedEmail(newer)).toBe(email);
    expect(await redeemedEmail(older)).toBeUndefined();
    expect(await pendingLoginEmail(database.db, otherAddress)).toBeDefined();
  });

  test("used by two requests at once, log in exactly one of them", async () => {
    const email = freshEmail();
    const token = await issue(email);
    const results = await Promise.all(Array.from({ length: 10 }, () => redeemedEmail(token)));
    expect(results.filter((result) => result === email)).toHaveLength(1);
    expect(results.filter((result) => result === undefined)).toHaveLength(9);
  });

  test("expire after their maximum age", async () => {
    const email = freshEmail();
    const issuedAt = Date.now();
    const token = await issue(email);
    const expiry = issuedAt + FIFTEEN_MINUTES * 1000;
    expect(await pendingLoginEmail(database.db, token, expiry + 1000)).toBeUndefined();
    expect(await redeemedEmail(token, { now: expiry + 1000 })).toBeUndefined();
    // Just before expiry it works: the refusal above was the expiry, not a broken token.
    expect(await redeemedEmail(token, { now: expiry - 1000 })).toBe(email);
  });

  test("can be revoked before use (when the email could not be sent)", async () => {
    const token = await issue();
    await revokeLoginToken(database.db, token);
    expect(await redeemedEmail(token)).toBeUndefined();
  });

  test.each([
    ["empty", ""],
    ["unknown", "A".repeat(43)],
    ["absurdly long", "A".repeat(10_000)],
    ["not base64", "'; DROP TABLE login_tokens; --"],
  ])("an %s token logs nobody in", async (_, token) => {
    expect(await pendingLoginEmail(database.db, token)).toBeUndefined();
    expect(await redeemedEmail(token)).toBeUndefined();
  });
});

describe("recent login requests (for rate limits)", () => {
  test("count the last hour's tokens per address, per requesting IP, and per both", async () => {
    const email = freshEmail();
    const otherEmail = freshEmail();
    const ip = `198.51.100.${counter}`;
    await issue(email, ip);
    await issue(email, ip);
    await issue(otherEmail, ip);
    await issue(email, "203.0.113.9");
    const cooldownSeconds = 60;
    expect(await recentLoginRequests(database.db, { email, requesterIp: ip, cooldownSeconds })).toEqual({
      forAddress: 3,
      fromIp: 3,
      forAddressFromIp: 2,
      inCooldown: 2,
    });
    expect(
      await recentLoginRequests(database.db, { email: otherEmail, requesterIp: "203.0.113.250", cooldownSeconds }),
    ).toEqual({ forAddress: 1, fromIp: 0, forAddressFromIp: 0, inCooldown: 0 });
    const twoMinutesLater = Date.now() + 120_000;
    expect(
      await recentLoginRequests(database.db, { email, requesterIp: ip, cooldownSeconds, now: twoMinutesLater }),
    ).toEqual({ forAddress: 3, fromIp: 3, forAddressFromIp: 2, inCooldown: 0 });
    const anHourLater = Date.now() + 3600_000 + 1000;
    expect(
      await recentLoginRequests(database.db, { email, requesterIp: ip, cooldownSeconds, now: anHourLater }),
    ).toEqual({ forAddress: 0, fromIp: 0, forAddressFromIp: 0, inCooldown: 0 });
  });
});
