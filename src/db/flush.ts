// Deletes every row of every data table, keeping the schema and migration history.
import type { Database } from "./database.ts";
import { DATA_TABLES } from "./schema.ts";

export async function flushAllData({ db }: Database): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of DATA_TABLES) await trx.deleteFrom(table).execute();
  });
}
