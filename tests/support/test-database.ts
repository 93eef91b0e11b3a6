// A fresh, empty database for one test file or server: a temporary SQLite file by
// default, or a new PostgreSQL database when TEST_DATABASE_URL is a postgres URL.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { parseDatabaseUrl } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";

export type TestDatabase = { url: string; drop: () => Promise<void> };

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(adminUrl: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (baseUrl && /^postgres(ql)?:\/\//.test(baseUrl)) {
    const name = `superlists_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
    return {
      url: withDatabaseName(baseUrl, name),
      drop: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "superlists-test-"));
  return {
    url: `sqlite:${join(dir, "db.sqlite3")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type MigratedTestDatabase = { url: string; database: Database; close: () => Promise<void> };

/** A fresh test database with the schema applied, opened: for tests that call the stores directly. */
export async function openMigratedTestDatabase(): Promise<MigratedTestDatabase> {
  const testDatabase = await createTestDatabase();
  const database = openDatabase(parseDatabaseUrl(testDatabase.url));
  await migrateToLatest(database);
  return {
    url: testDatabase.url,
    database,
    close: async () => {
      await database.db.destroy();
      await testDatabase.drop();
    },
  };
}
