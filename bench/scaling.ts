// How a list page's cost grows with its size: the real app in process (no
// network, no log lines), its SQL queries counted through the database's log hook.
import { createSession } from "../src/accounts/sessions.ts";
import { createList, shareList } from "../src/lists/list-store.ts";
import { tableRows } from "../tests/support/html.ts";
import { createTestApp } from "../tests/support/test-app.ts";
import { median } from "./table.ts";

const INSERT_CHUNK = 500;
const WARM_UP_REQUESTS = 5;
const MIN_REQUESTS = 5;

export type ScalingRow = {
  items: number;
  medianMs: number;
  perItemUs: number;
  /** SQL queries one page view made (the same for every view of that page). */
  queries: number;
};

export async function measureScaling(sizes: number[], minMsPerSize: number): Promise<ScalingRow[]> {
  let queries = 0;
  // Every item shown, however many: this measures rendering cost per item.
  const app = await createTestApp(
    { MAX_ITEMS_PER_LIST: String(Math.max(...sizes)) },
    { queryLog: (event) => event.level === "query" && queries++ },
  );
  try {
    const { db } = app.database;
    // The heaviest path: a logged-in owner (session lookup) viewing a shared list.
    const owner = "owner@example.com";
    const client = app.client();
    client.useSession(await createSession(db, owner, 3600));
    const rows: ScalingRow[] = [];
    for (const size of sizes) {
      const id = await createList(db, owner, "item 1");
      for (let first = 2; first <= size; first += INSERT_CHUNK) {
        const texts = Array.from({ length: Math.min(INSERT_CHUNK, size - first + 1) }, (_, i) => `item ${first + i}`);
        await db
          .insertInto("items")
          .values(texts.map((text) => ({ list_id: id, text, created_at: Date.now() })))
          .execute();
      }
      await shareList(db, id, "friend@example.com");

      const view = async () => {
        queries = 0;
        const response = await client.get(`/lists/${id}/`);
        const page = await response.text();
        if (response.status !== 200) throw new Error(`list of ${size} answered ${response.status}`);
        return page;
      };
      const shown = tableRows(await view()).length;
      if (shown !== size) throw new Error(`list of ${size} items showed ${shown} rows`);
      for (let i = 1; i < WARM_UP_REQUESTS; i++) await view();

      const times: number[] = [];
      const counts = new Set<number>();
      const started = performance.now();
      while (times.length < MIN_REQUESTS || performance.now() - started < minMsPerSize) {
        const before = performance.now();
        await view();
        times.push(performance.now() - before);
        counts.add(queries);
      }
      if (counts.size !== 1) throw new Error(`list of ${size}: query count varied between views: ${[...counts]}`);
      const medianMs = median(times);
      rows.push({ items: size, medianMs, perItemUs: (medianMs * 1000) / size, queries: [...counts][0] ?? 0 });
    }
    return rows;
  } finally {
    await app.close();
  }
}
