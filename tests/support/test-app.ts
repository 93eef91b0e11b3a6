// The real app, in process, on a fresh real database, with email kept in memory.

import { createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { type Database, type DatabaseOptions, openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { type MemoryMailer, memoryMailer } from "../../src/email/mailers.ts";
import type { Mailer } from "../../src/email/message.ts";
import { createLogger, type Logger } from "../../src/runtime/logger.ts";
import { TestClient } from "./test-client.ts";
import { createTestDatabase } from "./test-database.ts";

export type TestApp = {
  app: ReturnType<typeof createApp>;
  config: Config;
  database: Database;
  mailer: MemoryMailer;
  /** A new browser-like client with its own cookies. */
  client: () => TestClient;
  close: () => Promise<void>;
};

export async function createTestApp(
  env: Record<string, string> = {},
  options: { mailer?: Mailer; logger?: Logger; queryLog?: DatabaseOptions["log"] } = {},
): Promise<TestApp> {
  const testDatabase = await createTestDatabase();
  const config = loadConfig({
    SUPERLISTS_ENV: "test",
    DATABASE_URL: testDatabase.url,
    EMAIL_BACKEND: "memory",
    LOG_LEVEL: "silent",
    ...env,
  });
  const database = openDatabase(config.database, { log: options.queryLog });
  await migrateToLatest(database);
  const mailer = memoryMailer();
  const app = createApp({
    config,
    database,
    logger: options.logger ?? createLogger(config),
    mailer: options.mailer ?? mailer,
  });
  return {
    app,
    config,
    database,
    mailer,
    client: () => new TestClient(app, config.sessionCookieName),
    close: async () => {
      await database.db.destroy();
      await testDatabase.drop();
    },
  };
}
