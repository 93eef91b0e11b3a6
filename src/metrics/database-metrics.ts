// The PostgreSQL pool's state, read when Prometheus scrapes.
import { Gauge } from "prom-client";
import type { Database } from "../db/database.ts";
import { registry } from "./metrics.ts";

let watched: Database | undefined;

new Gauge({
  name: "superlists_database_pool_connections",
  help: "PostgreSQL connections in the pool, by state (in use or idle).",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const pool = watched?.pool;
    if (!pool) return;
    this.set({ state: "idle" }, pool.idleCount);
    this.set({ state: "in_use" }, pool.totalCount - pool.idleCount);
  },
});

new Gauge({
  name: "superlists_database_pool_waiting_requests",
  help: "Requests waiting for a PostgreSQL connection from the pool.",
  registers: [registry],
  collect() {
    const pool = watched?.pool;
    if (pool) this.set(pool.waitingCount);
  },
});

/** Reports this database's pool in the metrics (the server's one database). */
export function watchDatabasePool(database: Database): void {
  watched = database;
}
