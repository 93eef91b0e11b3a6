// The PostgreSQL pool's state, read when Prometheus scrapes.
import type { Database } from "../db/database.ts";
import type { Metrics } from "./metrics.ts";

/** Reports this database's pool in the metrics (the server's one database). */
export async function watchDatabasePool({ registry }: Metrics, database: Database): Promise<void> {
  const { pool } = database;
  if (!pool) return;
  const { Gauge } = (await import("prom-client")).default;
  new Gauge({
    name: "superlists_database_pool_connections",
    help: "PostgreSQL connections in the pool, by state (in use or idle).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "in_use" }, pool.totalCount - pool.idleCount);
    },
  });
  new Gauge({
    name: "superlists_database_pool_waiting_requests",
    help: "Requests waiting for a PostgreSQL connection from the pool.",
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
}
