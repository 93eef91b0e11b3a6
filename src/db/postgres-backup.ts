// Backups of a PostgreSQL database with the PostgreSQL client tools: pg_dump's custom
// format (a consistent snapshot, compressed) and pg_restore. The password goes to them
// in PGPASSWORD, never on a command line another user's `ps` would show.
import { execFile } from "node:child_process";
import { renameSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { temporaryNameFor } from "./backup-destination.ts";
import { BackupError } from "./backup-error.ts";

const run = promisify(execFile);

function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

async function runTool(tool: "pg_dump" | "pg_restore", args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await run(tool, args, { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === "ENOENT") {
      throw new BackupError(`${tool} not found: install the PostgreSQL client tools for the server's version`);
    }
    const firstLine = (stderr ?? "").split("\n").find((line) => line.trim() !== "") ?? String(error);
    throw new BackupError(`${tool} failed: ${firstLine.trim()}`);
  }
}

/** pg_dump into `destination`, without the servers' heartbeats: a restored copy is used by no server yet. */
export async function backupPostgres(url: string, destination: string): Promise<void> {
  const { dbname, env } = connectionFor(url);
  const partial = temporaryNameFor(destination);
  try {
    await runTool(
      "pg_dump",
      [
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        "--exclude-table-data=server_heartbeats",
        "--file",
        partial,
        "--dbname",
        dbname,
      ],
      env,
    );
    renameSync(partial, destination);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Refuses a file that is not a pg_dump archive of this app's schema. */
export async function checkPostgresBackup(path: string): Promise<void> {
  const listing = await runTool("pg_restore", ["--list", path], process.env);
  if (!/ TABLE \S+ kysely_migration /.test(listing)) {
    throw new BackupError(`${path} is not a backup of a Superlists database (no kysely_migration table)`);
  }
}

/** Replaces every object of the backup in the database, in one transaction: all or nothing. */
export async function restorePostgres(backupPath: string, url: string): Promise<void> {
  await checkPostgresBackup(backupPath);
  const { dbname, env } = connectionFor(url);
  await runTool(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      "--dbname",
      dbname,
      backupPath,
    ],
    env,
  );
}
