// A network partition between the app and PostgreSQL (a cut link, a firewall dropping
// packets): nothing answers and nothing closes. Every wait is bounded: requests get a
// 503 "try again" after DATABASE_TIMEOUT_SECONDS, /readyz says "not ready" within its own
// deadline, requests beyond the pool's queue are refused at once, a write the user was
// told failed is not committed once the network heals, and the app recovers by itself.
// Real pg, real sockets, through a proxy that stops forwarding. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { databaseOptions } from "../../src/db/database-options.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { memoryMailer } from "../../src/email/mailers.ts";
import { listItems } from "../../src/lists/list-store.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { listIdFrom } from "../support/html.ts";
import { TestClient } from "../support/test-client.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { errorMessage } from "./support/html-checks.ts";
import { type PartitionProxy, startPartitionProxy } from "./support/partition-proxy.ts";

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");
const POOL_SIZE = 2;
const QUEUE_LIMIT = 3;

describe.runIf(onPostgres)("a network partition between the app and PostgreSQL", () => {
  let testDatabase: TestDatabase;
  let proxy: PartitionProxy;
  let database: Database;
  let client: TestClient;
  let logs: LogLine[];
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const direct = new URL(testDatabase.url);
    proxy = await startPartitionProxy({ host: direct.hostname, port: Number(direct.port) });
    const viaProxy = new URL(testDatabase.url);
    viaProxy.port = String(proxy.port);
    const config = loadConfig({
      SUPERLISTS_ENV: "test",
      DATABASE_URL: viaProxy.toString(),
      EMAIL_BACKEND: "memory",
      DATABASE_TIMEOUT_SECONDS: "1",
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DATABASE_POOL_QUEUE_LIMIT: String(QUEUE_LIMIT),
    });
    const captured = capturedLogs();
    logs = captured.lines;
    database = openDatabase(config.database, databaseOptions(config, captured.logger));
    await migrateToLatest(database);
    client = new TestClient(
      createApp({ config, database, logger: captured.logger, mailer: memoryMailer() }),
      config.sessionCookieName,
    );
  });
  afterAll(async () => {
    await proxy?.heal();
    await database?.db.destroy();
    await proxy?.close();
    await testDatabase?.drop();
  });

  async function expectTryAgainPage(response: Response): Promise<void> {
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(errorMessage(await response.text())).toMatch(/try again/i);
  }

  test("requests get a bounded 503, /readyz says not ready, excess requests are refused; after the heal all is well", async () => {
    const created = await client.post("/lists/new", { text: "Before the partition" });
    const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;
    expect((await client.get("/readyz")).status).toBe(200);

    proxy.partition();
    const readiness = await client.get("/readyz");
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: "database not answering" });

    // The pooled connections are stuck on statements the network swallowed, and the
    // connections made to replace them cannot get through.
    const burst = await Promise.all(
      Array.from({ length: POOL_SIZE + QUEUE_LIMIT + 3 }, (_, index) =>
        client.post(listPath, { text: `During the partition ${index}` }),
      ),
    );
    for (const response of burst) await expectTryAgainPage(response);
    expect(logs.some((line) => String(line.err?.message).includes("already wait for a database connection"))).toBe(
      true,
    );
    expect(logs.some((line) => line.msg === "unhandled error")).toBe(false);

    await proxy.heal();
    await expect.poll(async () => (await client.get("/readyz")).status).toBe(200);
    expect((await client.post(listPath, { text: "After the heal" })).status).toBe(302);
    expect(await listItems(database.db, listIdFrom(created.headers.get("Location")))).toEqual([
      "Before the partition",
      "After the heal",
    ]);
  });

  test("a write whose statement was lost in the partition, answered 503, is not committed when the network heals", async () => {
    const created = await client.post("/lists/new", { text: "First" });
    const listId = listIdFrom(created.headers.get("Location"));

    proxy.partitionWhenSent("Lost in the partition");
    await expectTryAgainPage(await client.post(`/lists/${listId}/`, { text: "Lost in the partition" }));
    await proxy.heal();

    await expect.poll(async () => (await client.get("/readyz")).status).toBe(200);
    expect((await client.post(`/lists/${listId}/`, { text: "After the heal" })).status).toBe(302);
    expect(await listItems(database.db, listId)).toEqual(["First", "After the heal"]);
  });
});
