// The storage under a SQLite database fails: the disk fills up, or the volume is
// mounted read-only, or the disk fails under load and its file system turns itself
// read-only. Writes get a 503 "try again" page (not a 500), the failure is
// logged once, not once per request, /readyz says "not ready" while writes fail so
// the load balancer stops sending users here, and all recovers once space is freed.
// Real file systems: tmpfs mounts (the tests run as root, which ignores file modes).
// SQLite only: PostgreSQL's storage is the database server's.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { memoryMailer } from "../../src/email/mailers.ts";
import { databaseErrorsTotal, enableMetrics } from "../../src/metrics/metrics.ts";
import { UNAVAILABLE_LOG_MESSAGE } from "../../src/web/database-unavailable.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { listIdFrom } from "../support/html.ts";
import { TestClient } from "../support/test-client.ts";
import { errorMessage } from "./support/html-checks.ts";

const onSqlite = !/^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

let directory: string;
let mounts: string[];
let loopDevices: string[];
let database: Database | undefined;
let logs: LogLine[];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "superlists-storage-"));
  mounts = [];
  loopDevices = [];
});
afterEach(async () => {
  await database?.db.destroy();
  database = undefined;
  for (const mountPoint of mounts.reverse()) execFileSync("umount", ["--lazy", mountPoint]);
  for (const device of loopDevices) execFileSync("losetup", ["--detach", device]);
  rmSync(directory, { recursive: true, force: true });
});

function mount(args: string[], mountPoint: string): void {
  mkdirSync(mountPoint, { recursive: true });
  execFileSync("mount", [...args, mountPoint]);
  mounts.push(mountPoint);
}

/**
 * An ext4 file system on a loop device, mounted as servers mount their disks: on an error
 * it turns itself read-only. Returns the device's name (as /sys/fs/ext4 knows it).
 */
function mountExt4(mountPoint: string): string {
  const image = join(directory, "disk.img");
  execFileSync("truncate", ["--size", "32M", image]);
  execFileSync("mkfs.ext4", ["-q", "-F", image]);
  const device = execFileSync("losetup", ["--find", "--show", image], { encoding: "utf8" }).trim();
  loopDevices.push(device);
  mount(["-o", "errors=remount-ro", device], mountPoint);
  return device.replace("/dev/", "");
}

/** What a failing disk does to ext4: the kernel records an error, and the file system stops writing. */
function failDisk(device: string): void {
  writeFileSync(`/sys/fs/ext4/${device}/trigger_fs_error`, "superlists storage-failures test");
}

function appOn(path: string): TestClient {
  const config = loadConfig({ SUPERLISTS_ENV: "test", DATABASE_URL: `sqlite:${path}`, EMAIL_BACKEND: "memory" });
  database = openDatabase(config.database);
  const captured = capturedLogs();
  logs = captured.lines;
  return new TestClient(
    createApp({ config, database, logger: captured.logger, mailer: memoryMailer() }),
    config.sessionCookieName,
  );
}

async function migrated(path: string): Promise<void> {
  const setup = openDatabase({ kind: "sqlite", path });
  await migrateToLatest(setup);
  await setup.db.destroy();
}

/** Writes zeros to a new file until the file system is full. */
function fillUp(path: string): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

/** superlists_database_errors_total{kind="storage"}: what an alert on the metrics would see. */
async function storageErrorCount(): Promise<number> {
  await enableMetrics();
  const counted = await databaseErrorsTotal.real?.get();
  return counted?.values.find((value) => value.labels.kind === "storage")?.value ?? 0;
}

async function expectTryAgainPage(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
  const page = await response.text();
  expect(errorMessage(page)).toMatch(/try again/i);
  expect(page).not.toMatch(/SQLITE|disk|readonly/i);
}

async function readiness(client: TestClient): Promise<{ status: number; body: unknown }> {
  const response = await client.get("/readyz");
  return { status: response.status, body: await response.json() };
}

describe.runIf(onSqlite)("storage failures under SQLite", () => {
  test("a full disk: writes are 503s logged once, /readyz not ready, reads work; freeing space recovers", async () => {
    const disk = join(directory, "disk");
    mount(["-t", "tmpfs", "-o", "size=4m", "tmpfs"], disk);
    const path = join(disk, "db.sqlite3");
    await migrated(path);
    const client = appOn(path);
    const listId = listIdFrom(
      (await client.post("/lists/new", { text: "Before the disk filled" })).headers.get("Location"),
    );
    expect((await readiness(client)).status).toBe(200);

    const storageErrorsBefore = await storageErrorCount();
    fillUp(join(disk, "filler"));
    for (let attempt = 0; attempt < 20; attempt++) {
      await expectTryAgainPage(await client.post(`/lists/${listId}/`, { text: `Item ${attempt}` }));
    }
    expect(await readiness(client)).toEqual({ status: 503, body: { status: "database refuses writes" } });
    expect((await client.get(`/lists/${listId}/`)).status).toBe(200);
    expect(logs.filter((line) => line.msg === UNAVAILABLE_LOG_MESSAGE)).toHaveLength(1);
    expect(logs.some((line) => line.msg === "unhandled error")).toBe(false);
    expect((await storageErrorCount()) - storageErrorsBefore).toBe(20);

    rmSync(join(disk, "filler"));
    expect(await readiness(client)).toEqual({
      status: 200,
      body: { status: "ready", database: "sqlite", version: expect.any(String) },
    });
    expect((await client.post(`/lists/${listId}/`, { text: "After freeing space" })).status).toBe(302);
  });

  test("a volume mounted read-only: writes are 503s, /readyz not ready, no 500", async () => {
    const volume = join(directory, "volume");
    mkdirSync(volume);
    await migrated(join(volume, "db.sqlite3"));
    const readOnly = join(directory, "read-only");
    mount(["--bind", "-o", "ro", volume], readOnly);
    const client = appOn(join(readOnly, "db.sqlite3"));

    await expectTryAgainPage(await client.post("/lists/new", { text: "On a read-only volume" }));
    await expectTryAgainPage(await client.post("/lists/new", { text: "Again" }));
    expect((await readiness(client)).status).toBe(503);
    expect(logs.filter((line) => line.msg === UNAVAILABLE_LOG_MESSAGE)).toHaveLength(1);
    expect(logs.some((line) => line.msg === "unhandled error")).toBe(false);
  });

  test("a disk that fails under load: its file system turns read-only, writes are 503s, /readyz not ready at once", async () => {
    const disk = join(directory, "disk");
    const device = mountExt4(disk);
    const path = join(disk, "db.sqlite3");
    await migrated(path);
    const client = appOn(path);
    const listId = listIdFrom(
      (await client.post("/lists/new", { text: "Before the disk failed" })).headers.get("Location"),
    );
    expect((await readiness(client)).status).toBe(200);

    failDisk(device);
    await expectTryAgainPage(await client.post(`/lists/${listId}/`, { text: "On a failed disk" }));
    expect(await readiness(client)).toEqual({ status: 503, body: { status: "database refuses writes" } });
    await expectTryAgainPage(await client.post(`/lists/${listId}/`, { text: "Again" }));
    expect(await readiness(client)).toEqual({ status: 503, body: { status: "database refuses writes" } });
    expect((await client.get(`/lists/${listId}/`)).status).toBe(200);
    expect(logs.some((line) => line.msg === "unhandled error")).toBe(false);
  });
});
