// How many rows each data table holds: to show a command or request changed (or kept) the data.
import type { Kysely } from "kysely";
import { DATA_TABLES, type Schema } from "../../src/db/schema.ts";

export async function rowCounts(db: Kysely<Schema>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}
