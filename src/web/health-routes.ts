// Liveness and readiness probes for load balancers and orchestrators.
import { setTimeout as sleep } from "node:timers/promises";
import { Hono } from "hono";
import { sql } from "kysely";
import type { Database } from "../db/database.ts";
import { databaseHealth } from "../db/database-health.ts";
import { loggableDatabaseError } from "../db/errors.ts";
import { schemaStatus } from "../db/migrate.ts";
import type { AppEnv } from "./app-env.ts";

/**
 * The readiness probe answers within this, whatever the database does: a probe that hangs
 * with a partitioned database would leave the load balancer guessing (and its own timeout
 * is typically a few seconds).
 */
export const READINESS_DEADLINE_MS = 2000;

type Readiness = { status: 200 | 503; body: Record<string, unknown> };

async function readiness(database: Database): Promise<Readiness> {
  await sql`select 1`.execute(database.db);
  const { version, pending } = await schemaStatus(database);
  if (pending.length > 0) return { status: 503, body: { status: "migrations pending", version, pending } };
  if (!(await databaseHealth(database).writable(database))) {
    return { status: 503, body: { status: "database refuses writes" } };
  }
  return { status: 200, body: { status: "ready", database: database.kind, version } };
}

/**
 * `isShuttingDown`: from the moment a shutdown starts, /readyz says so, and a load
 * balancer stops sending new requests while the ones under way are answered.
 */
export function healthRoutes(database: Database, isShuttingDown: () => boolean): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", (c) => c.json({ status: "ok" }));
  routes.get("/readyz", async (c) => {
    if (isShuttingDown()) return c.json({ status: "shutting down" }, 503);
    const deadline = new AbortController();
    try {
      const answer = await Promise.race([
        readiness(database),
        sleep(READINESS_DEADLINE_MS, { status: 503, body: { status: "database not answering" } } as Readiness, {
          signal: deadline.signal,
        }),
      ]);
      return c.json(answer.body, answer.status);
    } catch (error) {
      c.get("logger")().error({ err: loggableDatabaseError(error) }, "readiness check failed");
      return c.json({ status: "database unreachable" }, 503);
    } finally {
      deadline.abort();
    }
  });
  return routes;
}
