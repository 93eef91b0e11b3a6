// A SQLite file that is not there: production mode refuses to start rather than
// serve a new, empty database (a wrong path, an unmounted volume); `superlists
// migrate` creates it; development creates it as before.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MIGRATION_NAMES } from "../support/migrations.ts";
import { runCli } from "../support/run-cli.ts";
import { startServerProcess } from "../support/server-process.ts";

const onSqlite = !/^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

let directory: string;
let path: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "superlists-db-file-"));
  path = join(directory, "db.sqlite3");
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const productionEnv = (): Record<string, string> => ({
  SUPERLISTS_ENV: "production",
  DATABASE_URL: `sqlite:${path}`,
  SECRET_KEY: "a-production-secret-key-of-at-least-32-characters",
  ALLOWED_HOSTS: "superlists.example.com",
  EMAIL_BACKEND: "file",
  EMAIL_FILE_DIR: directory,
});

describe.runIf(onSqlite)("a missing SQLite file", () => {
  test("production mode: serve exits with one clear line and creates nothing; migrate creates it; then serve starts", async () => {
    const refused = await runCli(["serve"], productionEnv());
    expect(refused).toEqual({
      code: 1,
      stdout: "",
      stderr: `superlists: database file ${path} does not exist: run \`superlists migrate\` to create it\n`,
    });
    expect(existsSync(path)).toBe(false);

    expect(await runCli(["migrate"], productionEnv())).toMatchObject({
      code: 0,
      stdout: `applied: ${MIGRATION_NAMES.join(", ")}\n`,
    });
    const server = await startServerProcess(productionEnv());
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  test("development creates the file and its schema at start", async () => {
    const server = await startServerProcess({ SUPERLISTS_ENV: "development", DATABASE_URL: `sqlite:${path}` });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(existsSync(path)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
