// Backup and restore next to running servers, as an operator can get them wrong:
// `backup` aimed at the live database (by any of its names) or at a file that exists,
// and `restore` into a database a server is still serving. Each is refused with one
// line and a non-zero exit, and the data the server acknowledged stays intact.
// On SQLite by default, on PostgreSQL with TEST_DATABASE_URL (the live-file cases are SQLite's).
import {
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient } from "../hardening/support/http-client.ts";
import { listIdFrom, tableRows } from "../support/html.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const onSqlite = !/^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

let directory: string;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "superlists-live-backup-"));
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(directory, { recursive: true, force: true });
});

const testEnv = (url: string) => ({ SUPERLISTS_ENV: "test", DATABASE_URL: url });

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  return database;
}

async function startServer(url: string): Promise<ServerProcess> {
  const server = await startServerProcess({ ...testEnv(url), EMAIL_BACKEND: "memory" });
  cleanups.push(server.stop);
  return server;
}

/** Starts a list with `text` on it; returns the list's path. */
async function newList(server: ServerProcess, text: string): Promise<string> {
  const response = await new HttpClient(server.url).post("/lists/new", { text });
  expect(response.status).toBe(302);
  return `/lists/${listIdFrom(response.headers.get("Location"))}/`;
}

async function addItem(server: ServerProcess, listPath: string, text: string): Promise<void> {
  expect((await new HttpClient(server.url).post(listPath, { text })).status).toBe(302);
}

async function itemsOn(server: ServerProcess, listPath: string): Promise<string[]> {
  const response = await new HttpClient(server.url).get(listPath);
  expect(response.status).toBe(200);
  return tableRows(await response.text()).map((row) => row.slice(row.indexOf(": ") + 2));
}

function expectRefused(result: CliResult, message: RegExp): void {
  expect(result.code, result.stdout).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^superlists: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
}

describe.runIf(onSqlite)("backup aimed at the live SQLite database", () => {
  test("is refused by every name of the database and its -wal/-shm/-journal files, even with --force; the acknowledged items survive a restart", async () => {
    const databaseDirectory = mkdtempSync(join(directory, "live-"));
    const databasePath = join(databaseDirectory, "db.sqlite3");
    const url = `sqlite:${databasePath}`;
    let server = await startServer(url);
    const listPath = await newList(server, "Acknowledged 1");
    await addItem(server, listPath, "Acknowledged 2");
    expect(existsSync(`${databasePath}-wal`)).toBe(true);
    symlinkSync(databasePath, join(databaseDirectory, "symlink-to-db"));
    linkSync(databasePath, join(databaseDirectory, "hardlink-to-db"));
    const linkedDirectory = join(directory, "symlink-to-live");
    symlinkSync(databaseDirectory, linkedDirectory);
    const before = readdirSync(databaseDirectory).sort();

    const names: { args: string[]; cwd?: string }[] = [
      { args: [databasePath] },
      { args: ["db.sqlite3"], cwd: databaseDirectory },
      { args: ["./sub/../db.sqlite3"], cwd: databaseDirectory },
      { args: [join(databaseDirectory, "symlink-to-db")] },
      { args: [join(databaseDirectory, "hardlink-to-db")] },
      { args: [join(linkedDirectory, "db.sqlite3")] },
      { args: [join(linkedDirectory, "db.sqlite3-wal")] },
      { args: [`${databasePath}-wal`] },
      { args: [`${databasePath}-shm`] },
      { args: [`${databasePath}-journal`] },
    ];
    for (const { args, cwd } of names) {
      for (const force of [[], ["--force"]]) {
        const result = await runCli(["backup", ...args, ...force], testEnv(url), { cwd });
        expectRefused(result, /is the live database .*: choose another file/);
      }
    }

    // Nothing written next to the database, and the database is intact.
    expect(readdirSync(databaseDirectory).sort()).toEqual(before);
    const check = new DatabaseSync(databasePath, { readOnly: true });
    try {
      expect(check.prepare("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    } finally {
      check.close();
    }
    expect(await itemsOn(server, listPath)).toEqual(["Acknowledged 1", "Acknowledged 2"]);
    expect(await server.stop()).toBe(0);
    server = await startServer(url);
    expect(await itemsOn(server, listPath)).toEqual(["Acknowledged 1", "Acknowledged 2"]);
  }, 120_000);
});

describe("backup onto a file that exists", () => {
  test("is refused without --force and the file is left as it was; with --force it is replaced by a complete backup, no temporary file left", async () => {
    const source = await freshDatabase();
    expect((await runCli(["migrate"], testEnv(source.url))).code).toBe(0);
    const backupDirectory = mkdtempSync(join(directory, "existing-"));
    const backupFile = join(backupDirectory, "superlists.backup");
    writeFileSync(backupFile, "yesterday's backup\n");

    expectRefused(
      await runCli(["backup", backupFile], testEnv(source.url)),
      /superlists\.backup exists: pass --force to replace it/,
    );
    expect(readFileSync(backupFile, "utf8")).toBe("yesterday's backup\n");

    const replaced = await runCli(["backup", backupFile, "--force"], testEnv(source.url));
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readdirSync(backupDirectory)).toEqual(["superlists.backup"]);
    const target = await freshDatabase();
    const restored = await runCli(["restore", backupFile, "--no-input"], testEnv(target.url));
    expect(restored.code, restored.stderr).toBe(0);
  }, 60_000);

  test("a directory is refused, even with --force", async () => {
    const source = await freshDatabase();
    expect((await runCli(["migrate"], testEnv(source.url))).code).toBe(0);
    const target = mkdtempSync(join(directory, "a-directory-"));
    expectRefused(
      await runCli(["backup", target, "--force"], testEnv(source.url)),
      /is a directory: name the backup file/,
    );
    expect(readdirSync(target)).toEqual([]);
  }, 60_000);
});

describe("restore into a database a server is using", () => {
  test("is refused, naming the server, and the server's acknowledged items stay; once the servers are stopped it restores; --force overrides", async () => {
    const live = await freshDatabase();
    let server = await startServer(live.url);
    const listPath = await newList(server, "In the backup");
    const backupFile = join(directory, "restore-while-serving.backup");
    const backup = await runCli(["backup", backupFile], testEnv(live.url));
    expect(backup.code, backup.stderr).toBe(0);
    await addItem(server, listPath, "Acknowledged after the backup");

    const refused = await runCli(["restore", backupFile, "--no-input"], testEnv(live.url));
    expectRefused(
      refused,
      new RegExp(
        `is in use by a server \\(pid ${server.child.pid} on [^ ,)]+, seen \\d+s ago\\): stop the servers first, or pass --force`,
      ),
    );
    // Refused before asking anything: there is nothing to confirm.
    expect(refused.stderr).not.toContain("Type 'yes'");
    expect(await itemsOn(server, listPath)).toEqual(["In the backup", "Acknowledged after the backup"]);
    await addItem(server, listPath, "Acknowledged after the refusal");
    expect(await server.stop()).toBe(0);
    server = await startServer(live.url);
    expect(await itemsOn(server, listPath)).toEqual([
      "In the backup",
      "Acknowledged after the backup",
      "Acknowledged after the refusal",
    ]);
    expect(await server.stop()).toBe(0);

    // A stopped server no longer counts, and the backup carries no server of its own.
    for (let attempt = 0; attempt < 2; attempt++) {
      const restored = await runCli(["restore", backupFile, "--no-input"], testEnv(live.url));
      expect(restored.code, restored.stderr).toBe(0);
    }
    server = await startServer(live.url);
    expect(await itemsOn(server, listPath)).toEqual(["In the backup"]);

    const forced = await runCli(["restore", backupFile, "--no-input", "--force"], testEnv(live.url));
    expect(forced.code, forced.stderr).toBe(0);
    expect(await server.stop()).toBe(0);
  }, 120_000);
});
