// For Vitest files that drive a real server process: a fresh test database and a
// `superlists serve` process on it, started and stopped by hooks, like a Playwright
// fixture. (Kept apart from server-process.ts, which the Playwright fixtures import too.)
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type ServerProcess, startServerProcess } from "./server-process.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export type ServerOnTestDatabase = { server: ServerProcess; database: TestDatabase };

/**
 * Gives the enclosing file or describe block one fresh test database and a server process
 * on it for all its tests (`per: "all"`), or a new pair for each test (`per: "each"`), in the
 * test role. `env` adds or overrides variables; it is called when the hook runs, so it can
 * use what hooks registered before this call made. The returned function reaches the pair
 * inside a test or a later hook.
 */
export function serverOnTestDatabase(
  per: "all" | "each",
  env: () => Record<string, string> = () => ({}),
): () => ServerOnTestDatabase {
  let current: ServerOnTestDatabase | undefined;
  const [before, after] = per === "all" ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    const database = await createTestDatabase();
    try {
      const server = await startServerProcess({ SUPERLISTS_ENV: "test", DATABASE_URL: database.url, ...env() });
      current = { server, database };
    } catch (error) {
      await database.drop();
      throw error;
    }
  });
  after(async () => {
    await current?.server.stop();
    await current?.database.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("the server process exists only while the tests that asked for it run");
    return current;
  };
}
