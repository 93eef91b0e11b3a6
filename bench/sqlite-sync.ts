// What synchronous=NORMAL (the app's setting, see src/db/sqlite-adapter.ts) buys
// over FULL: sequential add-item commits per second on a file on this machine's disk.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { addItem, createList } from "../src/lists/list-store.ts";

export type SyncLevel = "NORMAL" | "FULL";

export async function addItemCommitsPerSecond(level: SyncLevel, durationMs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "superlists-bench-sync-"));
  const database = openDatabase({ kind: "sqlite", path: join(dir, "db.sqlite3") });
  try {
    await migrateToLatest(database);
    // The SQLite dialect uses one connection, so the pragma applies to every statement below.
    await sql.raw(`PRAGMA synchronous = ${level}`).execute(database.db);
    const id = await createList(database.db, null, "item 0");
    let commits = 0;
    const started = performance.now();
    while (performance.now() - started < durationMs) {
      await addItem(database.db, id, `item ${++commits}`, Number.MAX_SAFE_INTEGER);
    }
    return commits / ((performance.now() - started) / 1000);
  } finally {
    await database.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
