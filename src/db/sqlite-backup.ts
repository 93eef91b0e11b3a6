// Consistent copies of a live SQLite database, and putting one back.
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { temporaryNameFor } from "./backup-destination.ts";
import { BackupError } from "./backup-error.ts";

// What every Superlists database has had since the first migration: a backup made before
// a later migration still restores, and the next `serve` or `migrate` brings it up to date.
const SUPERLISTS_TABLES = ["kysely_migration", "users", "lists", "items", "list_shares", "sessions", "login_tokens"];

/**
 * Copies the database at `sourcePath` into `destination` with VACUUM INTO: one read
 * transaction, so the copy is the database as of one commit even while a server keeps
 * writing (WAL readers do not block writers), compacted and without a WAL to carry.
 * The servers' heartbeats stay behind: a restored copy is used by no server yet.
 */
export function backupSqlite(sourcePath: string, destination: string): void {
  if (!existsSync(sourcePath)) throw new BackupError(`database file ${sourcePath} does not exist`);
  const partial = temporaryNameFor(destination);
  try {
    const source = new DatabaseSync(sourcePath, { readOnly: true });
    try {
      source.exec("PRAGMA busy_timeout = 5000");
      source.prepare("VACUUM INTO ?").run(partial);
    } finally {
      source.close();
    }
    const copy = new DatabaseSync(partial);
    try {
      if (copy.prepare("SELECT 1 FROM sqlite_master WHERE name = 'server_heartbeats'").get()) {
        copy.exec("DELETE FROM server_heartbeats");
      }
    } finally {
      copy.close();
    }
    renameSync(partial, destination);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Refuses a file that is not an intact SQLite database with this app's schema. */
export function checkSqliteBackup(path: string): void {
  if (!existsSync(path)) throw new BackupError(`backup file ${path} does not exist`);
  let backup: DatabaseSync;
  try {
    backup = new DatabaseSync(path, { readOnly: true });
  } catch (error) {
    throw new BackupError(`${path} cannot be opened as a SQLite database: ${(error as Error).message}`);
  }
  try {
    const integrity = backup.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== "ok") {
      throw new BackupError(`${path} is damaged: SQLite's integrity check failed`);
    }
    const tables = new Set(
      (backup.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    const missing = SUPERLISTS_TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) throw new BackupError(`${path} is not a Superlists database (no ${missing.join(", ")})`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${path} is not a SQLite database: ${(error as Error).message}`);
  } finally {
    backup.close();
  }
}

/**
 * Replaces the database at `targetPath` with the backup: copied next to it, then renamed
 * over it, so the target is the old database or the new one, never a mix. The old WAL
 * belongs to the old database and goes too. Only safe with the server stopped.
 */
export function restoreSqlite(backupPath: string, targetPath: string): void {
  checkSqliteBackup(backupPath);
  const incoming = `${targetPath}.restoring`;
  copyFileSync(backupPath, incoming);
  for (const leftover of [`${targetPath}-wal`, `${targetPath}-shm`]) rmSync(leftover, { force: true });
  renameSync(incoming, targetPath);
}
