// Liveness and readiness probes for load balancers and orchestrators.
import { Hono } from "hono";
import { sql } from "kysely";
import type { Database } from "../db/database.ts";
import { schemaStatus } from "../db/migrate.ts";
import type { AppEnv } from "./app-env.ts";
import { respondJson } from "./response-headers.ts";

export function healthRoutes(database: Database): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", (c) => respondJson(c, { status: "ok" }));
  routes.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(database.db);
      const { version, pending } = await schemaStatus(database);
      if (pending.length > 0) return respondJson(c, { status: "migrations pending", version, pending }, 503);
      return respondJson(c, { status: "ready", database: database.kind, version });
    } catch (error) {
      c.get("logger")().error({ err: error }, "readiness check failed");
      return respondJson(c, { status: "database unreachable" }, 503);
    }
  });
  return routes;
}
