// Every data row, in a stable order: compared before and after a refused request
// to prove it changed nothing already stored.
import type { Kysely } from "kysely";
import { DATA_TABLES, type Schema } from "../../../src/db/schema.ts";

export type DbSnapshot = Record<(typeof DATA_TABLES)[number], string[]>;

export async function snapshotRows(db: Kysely<Schema>): Promise<DbSnapshot> {
  const snapshot = {} as DbSnapshot;
  for (const table of DATA_TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}
