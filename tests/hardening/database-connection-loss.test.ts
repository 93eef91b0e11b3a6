// PostgreSQL ends the server's idle pooled connections (a database restart, an idle
// timeout, an operator ending sessions): the server logs it, stays up, and the next
// request connects anew. Unhandled, this was an uncaught exception that killed it.
// SQLite has no connections to lose, so this runs when TEST_DATABASE_URL is PostgreSQL.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

describe.runIf(onPostgres)("idle PostgreSQL connections ended by the server", () => {
  let testDatabase: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    server = await startServerProcess({ SUPERLISTS_ENV: "test", DATABASE_URL: testDatabase.url });
  });
  afterAll(async () => {
    await server?.stop();
    await testDatabase?.drop();
  });

  /** What an operator's `pg_terminate_backend` does: ends every other session on the app's database. */
  async function terminateAppConnections(): Promise<number> {
    const admin = new pg.Client({ connectionString: testDatabase.url });
    await admin.connect();
    try {
      const result = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  test("the server logs a warning, keeps running and answers the next request from a new connection", async () => {
    // /readyz reads the migrations table, leaving a connection idle in the pool.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await terminateAppConnections()).toBeGreaterThan(0);

    const warning = await server.waitForLog((line) => line.msg === "database connection lost while idle; reconnecting");
    expect(warning.level).toBe(40);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
