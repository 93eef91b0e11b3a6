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

// A valid add raises its list's item_count: the counter, not the list, changed. This view
// of the rows leaves the counter out, so "every row stored before is kept" can be asked of
// a request that added something; `listsWithWrongItemCount` checks the counter itself.
export function withoutItemCounts(snapshot: DbSnapshot): DbSnapshot {
  const lists = snapshot.lists.map((row) => {
    const { item_count: _counter, ...list } = JSON.parse(row) as Record<string, unknown>;
    return JSON.stringify(list);
  });
  return { ...snapshot, lists };
}

export async function listsWithWrongItemCount(db: Kysely<Schema>): Promise<string[]> {
  const lists = await db.selectFrom("lists").select(["id", "item_count"]).execute();
  const counted = await db
    .selectFrom("items")
    .select((eb) => ["list_id", eb.fn.countAll<number | string>().as("items")])
    .groupBy("list_id")
    .execute();
  const itemsPerList = new Map(counted.map((row) => [row.list_id, Number(row.items)]));
  return lists.filter((list) => list.item_count !== (itemsPerList.get(list.id) ?? 0)).map((list) => list.id);
}
