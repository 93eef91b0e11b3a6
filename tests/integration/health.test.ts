// The probes a load balancer or orchestrator calls: /healthz (the process
// answers) and /readyz (the database answers and its schema is current).
import { afterAll, describe, expect, test } from "vitest";
import { createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { memoryMailer } from "../../src/email/mailers.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { LATEST_MIGRATION, MIGRATION_NAMES } from "../support/migrations.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The app on a database as found: nothing is migrated for it. */
function appOn(
  testDatabase: TestDatabase,
  isShuttingDown = () => false,
): { app: ReturnType<typeof createApp>; database: Database } {
  const config: Config = loadConfig({
    SUPERLISTS_ENV: "test",
    DATABASE_URL: testDatabase.url,
    EMAIL_BACKEND: "memory",
    LOG_LEVEL: "silent",
  });
  const database = openDatabase(config.database);
  cleanups.push(() => database.db.destroy());
  return {
    app: createApp({ config, database, logger: createLogger(config), mailer: memoryMailer(), isShuttingDown }),
    database,
  };
}

async function freshDatabase(): Promise<TestDatabase> {
  const testDatabase = await createTestDatabase();
  cleanups.push(testDatabase.drop);
  return testDatabase;
}

async function probe(app: ReturnType<typeof createApp>, path: string) {
  const response = await app.request(`http://testserver${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("a migrated database", () => {
  test("both probes answer 200", async () => {
    const { app, database } = appOn(await freshDatabase());
    await migrateToLatest(database);
    expect(await probe(app, "/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await probe(app, "/readyz")).toEqual({
      status: 200,
      body: { status: "ready", database: database.kind, version: LATEST_MIGRATION },
    });
  });
});

describe("pending migrations", () => {
  test("/readyz answers 503 naming them until they are applied; /healthz stays 200", async () => {
    const { app, database } = appOn(await freshDatabase());
    expect(await probe(app, "/readyz")).toEqual({
      status: 503,
      body: { status: "migrations pending", version: null, pending: MIGRATION_NAMES },
    });
    expect((await probe(app, "/healthz")).status).toBe(200);

    await migrateToLatest(database);
    expect((await probe(app, "/readyz")).status).toBe(200);
  });
});

describe("an unreachable database", () => {
  test("/readyz answers 503 without details; /healthz stays 200", async () => {
    const gone = await createTestDatabase();
    await gone.drop();
    const { app } = appOn(gone);
    expect(await probe(app, "/readyz")).toEqual({ status: 503, body: { status: "database unreachable" } });
    expect((await probe(app, "/healthz")).status).toBe(200);
  });
});

describe("a server shutting down", () => {
  test("/readyz says so (503) so the load balancer sends no more, while /healthz and pages still answer", async () => {
    let shuttingDown = false;
    const { app, database } = appOn(await freshDatabase(), () => shuttingDown);
    await migrateToLatest(database);
    expect((await probe(app, "/readyz")).status).toBe(200);
    shuttingDown = true;
    expect(await probe(app, "/readyz")).toEqual({ status: 503, body: { status: "shutting down" } });
    expect((await probe(app, "/healthz")).status).toBe(200);
    expect((await app.request("http://testserver/")).status).toBe(200);
  });
});

describe("the probes' headers", () => {
  test("carry the security headers every page has", async () => {
    const { app, database } = appOn(await freshDatabase());
    await migrateToLatest(database);
    const page = await app.request("http://testserver/");
    for (const path of ["/healthz", "/readyz"]) {
      const response = await app.request(`http://testserver${path}`);
      for (const header of [
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
      ]) {
        expect(response.headers.get(header), `${path} ${header}`).toBe(page.headers.get(header));
        expect(response.headers.get(header), `${path} ${header}`).toBeTruthy();
      }
    }
  });
});
