// Many adds to one list at once, duplicates included, in process and over real
// HTTP against a server process: every distinct item is stored exactly once, each
// duplicate gets the clean 400, and the table's order is the order of the ids and
// never contradicts the order in which the server acknowledged the adds. And a
// list deleted (or left) while adds and other deletes of it are in flight: each of
// those requests either happened before the deletion or answers 404.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDatabaseUrl } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { DUPLICATE_ITEM_ERROR } from "../../src/lists/item-text.ts";
import { listItemRecords, listItems } from "../../src/lists/list-store.ts";
import { loggedInClient } from "../support/accounts.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { listIdFrom, tableRows, textFeedback } from "../support/html.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { escapeHtml } from "./support/html-checks.ts";
import { HttpClient } from "./support/http-client.ts";

const PARALLEL = 50;
const DISTINCT = 35;

type Client = {
  post: (path: string, fields: Record<string, string>) => Promise<Response>;
  get: (path: string) => Promise<Response>;
};

type Sent = { text: string; sentAt: number; ackAt: number; status: number; page: string };

/** One logical clock for "sent" and "acknowledged" events, so they can be compared across requests. */
function clock() {
  let now = 0;
  return () => now++;
}

async function send(client: Client, path: string, text: string, tick: () => number): Promise<Sent> {
  const sentAt = tick();
  const response = await client.post(path, { text });
  const ackAt = tick();
  return { text, sentAt, ackAt, status: response.status, page: await response.text() };
}

/** The ids and texts of the list's items, by id (the database's order). */
async function rowsById(database: Database, listId: string) {
  return database.db.selectFrom("items").select(["id", "text"]).where("list_id", "=", listId).orderBy("id").execute();
}

async function newList(client: Client): Promise<string> {
  const response = await client.post("/lists/new", { text: "First" });
  expect(response.status).toBe(302);
  return listIdFrom(response.headers.get("Location"));
}

/**
 * The checks shared by both transports: each distinct text acknowledged once and
 * stored once, duplicates refused with the message, page order = id order, and
 * an add acknowledged before another was sent comes first in the table (there must
 * be such pairs, or the order would not have been checked at all).
 */
async function expectStoredOnceInOrder(client: Client, database: Database, listId: string, sent: Sent[]) {
  const byText = Map.groupBy(sent, (request) => request.text);
  for (const [text, requests] of byText) {
    expect(
      requests.filter((request) => request.status === 302),
      text,
    ).toHaveLength(1);
    for (const refused of requests.filter((request) => request.status !== 302)) {
      expect(refused.status).toBe(400);
      expect(textFeedback(refused.page)).toBe(escapeHtml(DUPLICATE_ITEM_ERROR));
    }
  }
  const rows = await rowsById(database, listId);
  expect(rows.map((row) => row.text).sort()).toEqual(["First", ...byText.keys()].sort());
  const page = await (await client.get(`/lists/${listId}/`)).text();
  expect(tableRows(page)).toEqual(rows.map((row, index) => `${index + 1}: ${escapeHtml(row.text)}`));

  const position = new Map(rows.map((row, index) => [row.text, index]));
  const acknowledged = sent.filter((request) => request.status === 302);
  let orderedPairs = 0;
  for (const earlier of acknowledged) {
    for (const later of acknowledged) {
      if (earlier.ackAt < later.sentAt) {
        orderedPairs++;
        expect(position.get(earlier.text), `${earlier.text} before ${later.text}`).toBeLessThan(
          position.get(later.text) ?? -1,
        );
      }
    }
  }
  expect(orderedPairs, "pairs of adds ordered by their acknowledgements").toBeGreaterThan(0);
}

/**
 * PARALLEL adds of DISTINCT texts, the first PARALLEL - DISTINCT of them sent twice, all at once;
 * then one more add, sent after all of them were acknowledged, which must come last.
 */
function burstTexts(label: string): string[] {
  const distinct = Array.from({ length: DISTINCT }, (_, index) => `${label} item ${index} <i>'&'</i>`);
  const duplicates = distinct.slice(0, PARALLEL - DISTINCT);
  // Interleaved so that a text and its duplicate race each other.
  return distinct.flatMap((text, index) => (index < duplicates.length ? [text, text] : [text]));
}

async function burst(client: Client, database: Database, label: string) {
  const listId = await newList(client);
  const tick = clock();
  const sent = await Promise.all(burstTexts(label).map((text) => send(client, `/lists/${listId}/`, text, tick)));
  expect(sent).toHaveLength(PARALLEL);
  // Every add of the burst was sent before any was acknowledged: only a later add can be ordered against them.
  sent.push(await send(client, `/lists/${listId}/`, `${label} after the burst`, tick));
  await expectStoredOnceInOrder(client, database, listId, sent);
}

/** PARALLEL adds from 10 clients that each wait for their previous answer: acknowledgements then order adds. */
async function staggered(client: Client, database: Database, label: string) {
  const listId = await newList(client);
  const tick = clock();
  const texts = burstTexts(label);
  const sent: Sent[] = [];
  const worker = async (offset: number) => {
    for (let index = offset; index < texts.length; index += 10) {
      sent.push(await send(client, `/lists/${listId}/`, texts[index] ?? "", tick));
    }
  };
  await Promise.all(Array.from({ length: 10 }, (_, offset) => worker(offset)));
  expect(sent).toHaveLength(PARALLEL);
  // Each client's adds are ordered by its own waiting, so the order check always has pairs to compare.
  await expectStoredOnceInOrder(client, database, listId, sent);
}

describe("in process", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  test(`${PARALLEL} adds at once, duplicates included, then one more that comes last`, async () => {
    await burst(testApp.client(), testApp.database, "in-process burst");
  });

  test(`${PARALLEL} adds from 10 concurrent clients: the table follows the acknowledgements`, async () => {
    await staggered(testApp.client(), testApp.database, "in-process staggered");
  });
});

describe("racing a list's deletion", () => {
  const OWNER = "owner@example.com";
  const SHAREE = "sharee@example.com";
  const ROUNDS = 5;
  let testApp: TestApp;
  let logLines: LogLine[];
  beforeAll(async () => {
    const logs = capturedLogs();
    logLines = logs.lines;
    testApp = await createTestApp({}, { logger: logs.logger });
  });
  afterAll(() => testApp.close());

  /** The responses that set the flash cookie (a message shown on the next page). */
  const flashes = (responses: Response[]) =>
    responses.filter((response) => response.headers.getSetCookie().some((line) => /^flash=[^;]/.test(line)));

  test("adds sent around a list's deletion are each added or 404, never refused as a full list", async () => {
    const client = testApp.client();
    for (let round = 0; round < ROUNDS; round++) {
      const listId = await newList(client);
      const add = (index: number) => client.post(`/lists/${listId}/`, { text: `Racer ${index}` });
      const adds = [...Array.from({ length: 10 }, (_, index) => add(index))];
      const deleted = client.post(`/lists/${listId}/delete`);
      adds.push(...Array.from({ length: 10 }, (_, index) => add(10 + index)));
      expect((await deleted).status).toBe(302);
      const statuses = (await Promise.all(adds)).map((response) => response.status);
      expect(statuses.filter((status) => status !== 302 && status !== 404)).toEqual([]);
      expect(await listItems(testApp.database.db, listId)).toEqual([]);
    }
  });

  test("deleting an item while the same text is added again: both done, in either order, no deadlock", async () => {
    const client = testApp.client();
    const listId = await newList(client);
    for (let round = 0; round < 4 * ROUNDS; round++) {
      expect((await client.post(`/lists/${listId}/`, { text: "Again" })).status).toBe(302);
      const [again] = (await listItemRecords(testApp.database.db, listId)).filter((item) => item.text === "Again");
      const [deleted, added] = await Promise.all([
        client.post(`/lists/${listId}/items/${again?.id}/delete`),
        client.post(`/lists/${listId}/`, { text: "Again" }),
      ]);
      expect(deleted.status).toBe(302);
      // Added after the deletion, or refused as a duplicate before it.
      expect([302, 400]).toContain(added.status);
      const texts = await listItems(testApp.database.db, listId);
      expect(texts).toEqual(added.status === 302 ? ["First", "Again"] : ["First"]);
      if (added.status === 302) {
        const [readded] = (await listItemRecords(testApp.database.db, listId)).filter((item) => item.text === "Again");
        expect((await client.post(`/lists/${listId}/items/${readded?.id}/delete`)).status).toBe(302);
      }
    }
  });

  test("of 5 deletes of one list sent at once, one deletes it (one flash, one audit line), the others are 404", async () => {
    const owner = await loggedInClient(testApp, OWNER);
    for (let round = 0; round < ROUNDS; round++) {
      const listId = await newList(owner);
      const responses = await Promise.all(Array.from({ length: 5 }, () => owner.post(`/lists/${listId}/delete`)));
      expect(responses.map((response) => response.status).sort()).toEqual([302, 404, 404, 404, 404]);
      expect(flashes(responses)).toHaveLength(1);
      expect(logLines.filter((line) => line.audit === "list-deleted" && line.listId === listId)).toHaveLength(1);
    }
  });

  test("of 5 leaves of one shared list sent at once, one leaves it (one flash, one audit line), the others are 404", async () => {
    const owner = await loggedInClient(testApp, OWNER);
    const sharee = await loggedInClient(testApp, SHAREE);
    for (let round = 0; round < ROUNDS; round++) {
      const listId = await newList(owner);
      expect((await owner.post(`/lists/${listId}/share`, { sharee: SHAREE })).status).toBe(302);
      const responses = await Promise.all(Array.from({ length: 5 }, () => sharee.post(`/lists/${listId}/leave`)));
      expect(responses.map((response) => response.status).sort()).toEqual([302, 404, 404, 404, 404]);
      expect(flashes(responses)).toHaveLength(1);
      expect(logLines.filter((line) => line.audit === "list-left" && line.listId === listId)).toHaveLength(1);
    }
  });
});

describe("over HTTP against a server process", () => {
  const running = serverOnTestDatabase("all", () => ({ LOG_LEVEL: "info", EMAIL_BACKEND: "memory" }));
  let database: Database;
  beforeAll(() => {
    database = openDatabase(parseDatabaseUrl(running().database.url), { poolSize: 2 });
  });
  afterAll(() => database?.db.destroy());

  test(`${PARALLEL} adds at once, duplicates included, then one more that comes last`, async () => {
    await burst(new HttpClient(running().server.url), database, "http burst");
  });

  test(`${PARALLEL} adds from 10 concurrent clients: the table follows the acknowledgements`, async () => {
    const { server } = running();
    await staggered(new HttpClient(server.url), database, "http staggered");
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });
});
