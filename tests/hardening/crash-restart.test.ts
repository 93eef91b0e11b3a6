// "The server answered 302 ⇒ stored": the server process is killed (SIGKILL, a
// crash) or stopped (SIGTERM, a deploy) while clients keep adding items, then
// restarted on the same database. Every acknowledged item is there exactly once,
// and a logged-in user carries on as if nothing happened.
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createSession } from "../../src/accounts/sessions.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { listIdFrom, tableRows } from "../support/html.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { escapeHtml } from "./support/html-checks.ts";
import { HttpClient } from "./support/http-client.ts";

const WORKERS = 8;
/** Acknowledged adds before the signal: enough that requests are surely in flight when it lands. */
const ACKS_BEFORE_SIGNAL = 40;

let testDatabase: TestDatabase;
let database: Database;
let servers: ServerProcess[];

beforeEach(async () => {
  testDatabase = await createTestDatabase();
  servers = [];
});
afterEach(async () => {
  for (const server of servers) await server.stop();
  await database?.db.destroy();
  await testDatabase.drop();
});

async function startServer(): Promise<ServerProcess> {
  const server = await startServerProcess({
    SUPERLISTS_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: testDatabase.url,
    EMAIL_BACKEND: "memory",
    // The loops add for as long as the server answers, a shutdown's one-second grace
    // included: on a fast machine, more than the default limit of items per list.
    MAX_ITEMS_PER_LIST: "1000000",
  });
  servers.push(server);
  return server;
}

type Outcome = { acknowledged: string[]; attempted: string[]; inFlightAtSignal: number; serverErrors: number };

/**
 * WORKERS loops add distinct items to the list as fast as the server answers; after
 * ACKS_BEFORE_SIGNAL 302s, `signal` is called once. Each loop stops at its first
 * failed request (the server is gone).
 */
async function addUntilSignalled(client: HttpClient, listPath: string, signal: () => void): Promise<Outcome> {
  const outcome: Outcome = { acknowledged: [], attempted: [], inFlightAtSignal: -1, serverErrors: 0 };
  let inFlight = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const text = `Item ${next++} <b>&</b>`;
      outcome.attempted.push(text);
      inFlight++;
      let response: Response;
      try {
        response = await client.post(listPath, { text });
      } catch {
        return;
      } finally {
        inFlight--;
      }
      await response.arrayBuffer();
      if (response.status === 302) outcome.acknowledged.push(text);
      if (response.status >= 500) outcome.serverErrors++;
      if (outcome.acknowledged.length === ACKS_BEFORE_SIGNAL && outcome.inFlightAtSignal === -1) {
        outcome.inFlightAtSignal = inFlight;
        signal();
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return outcome;
}

/** The item texts on the list page, in table order (without the "N: " prefix). */
async function itemsOnPage(client: HttpClient, listPath: string): Promise<string[]> {
  const response = await client.get(listPath);
  expect(response.status).toBe(200);
  const rows = tableRows(await response.text());
  expect(rows.map((row) => row.slice(0, row.indexOf(": ")))).toEqual(rows.map((_, index) => `${index + 1}`));
  return rows.map((row) => row.slice(row.indexOf(": ") + 2));
}

function expectEveryAcknowledgedItemOnce(items: string[], outcome: Outcome, firstItem: string): void {
  expect(outcome.serverErrors).toBe(0);
  expect(outcome.acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_SIGNAL);
  expect(new Set(items).size).toBe(items.length);
  expect(items[0]).toBe(escapeHtml(firstItem));
  const stored = new Set(items);
  for (const text of outcome.acknowledged) expect(stored.has(escapeHtml(text)), text).toBe(true);
  // Anything else stored was at least sent: an unacknowledged add may or may not have been committed.
  const attempted = new Set([firstItem, ...outcome.attempted].map(escapeHtml));
  for (const item of items) expect(attempted.has(item), item).toBe(true);
}

describe("a crash (SIGKILL) with requests in flight", () => {
  test("after a restart on the same database, every item that got a 302 is stored exactly once", async () => {
    const first = await startServer();
    const client = new HttpClient(first.url);
    const created = await client.post("/lists/new", { text: "Before the crash" });
    const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;

    const outcome = await addUntilSignalled(client, listPath, () => first.child.kill("SIGKILL"));
    expect(await first.exited).toBe("SIGKILL");
    expect(outcome.inFlightAtSignal).toBeGreaterThan(0);

    const target = parseDatabaseUrl(testDatabase.url);
    if (target.kind === "sqlite") {
      // The file survived the crash intact (the WAL is replayed on the next open).
      const check = new DatabaseSync(target.path);
      expect(check.prepare("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
      check.close();
    }

    const second = await startServer();
    const items = await itemsOnPage(new HttpClient(second.url), listPath);
    expectEveryAcknowledgedItemOnce(items, outcome, "Before the crash");
    console.log(
      `[crash] ${outcome.acknowledged.length} acknowledged, ${outcome.inFlightAtSignal} in flight at SIGKILL, ` +
        `${items.length - 1} stored after restart`,
    );
  });
});

describe("a graceful stop (SIGTERM) and restart between requests", () => {
  test("in-flight requests are answered, every acknowledged item is kept, and the logged-in user carries on", async () => {
    const first = await startServer();
    database = openDatabase(parseDatabaseUrl(testDatabase.url), { poolSize: 1 });
    const owner = new HttpClient(first.url);
    owner.cookies.set("sessionid", await createSession(database.db, "owner@example.com", 3600));
    const created = await owner.post("/lists/new", { text: "Before the deploy" });
    const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;

    const outcome = await addUntilSignalled(owner, listPath, () => first.child.kill("SIGTERM"));
    expect(await first.exited).toBe(0);
    expect(first.logLines().some((line) => line.msg === "shut down cleanly")).toBe(true);
    // Every add the server finished was answered: none was lost between the handler and the client.
    const finishedAdds = first
      .logLines()
      .filter((line) => line.method === "POST" && line.path === listPath && line.status === 302);
    expect(finishedAdds).toHaveLength(outcome.acknowledged.length);

    const second = await startServer();
    // Same cookies, new process: the session and the CSRF token are still good.
    const resumed = new HttpClient(second.url);
    for (const [name, value] of owner.cookies) resumed.cookies.set(name, value);
    const items = await itemsOnPage(resumed, listPath);
    expectEveryAcknowledgedItemOnce(items, outcome, "Before the deploy");
    expect((await resumed.post(listPath, { text: "After the deploy" })).status).toBe(302);
    expect((await itemsOnPage(resumed, listPath)).at(-1)).toBe("After the deploy");
    console.log(
      `[sigterm] ${outcome.acknowledged.length} acknowledged, ${outcome.inFlightAtSignal} in flight at SIGTERM, ` +
        `${items.length - 1} stored after restart`,
    );
  });
});
