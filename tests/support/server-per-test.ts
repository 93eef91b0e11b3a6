// For Vitest files that drive a real server process: each test gets a fresh test
// database and a `superlists serve` process on it. (Kept apart from server-process.ts,
// which the Playwright fixtures import too.)
import { afterEach, beforeEach } from "vitest";
import { type ServerProcess, startServerProcess } from "./server-process.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export type ServerOnTestDatabase = { server: ServerProcess; database: TestDatabase };

/**
 * Gives each test of the file a fresh test database and a `superlists serve` process on
 * it (test role, console email); the returned function reaches them inside a test.
 */
export function serverProcessPerTest(): () => ServerOnTestDatabase {
  let current: ServerOnTestDatabase | undefined;
  beforeEach(async () => {
    const database = await createTestDatabase();
    const server = await startServerProcess({
      SUPERLISTS_ENV: "test",
      DATABASE_URL: database.url,
      EMAIL_BACKEND: "console",
    });
    current = { server, database };
  });
  afterEach(async () => {
    await current?.server.stop();
    await current?.database.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("the server process exists only while a test runs");
    return current;
  };
}
