// The server's metrics, when METRICS_PORT is set. One process: it serves its own on
// the metrics port. With `serve --workers`, each worker calls recordServerMetrics and
// serveMetricsToClusterPrimary, and only the primary listens on the metrics port
// (startMetricsServer with clusterMetricsText, see metrics-server.ts).
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { watchDatabasePool } from "./database-metrics.ts";
import { collectProcessMetrics } from "./metrics.ts";
import { type MetricsServer, processMetricsText, startMetricsServer } from "./metrics-server.ts";

/** What a serving process measures beyond its requests: process and database pool. */
export function recordServerMetrics(database: Database): void {
  collectProcessMetrics();
  watchDatabasePool(database);
}

/** Starts the metrics listener of a single-process server, or nothing when metrics are off. */
export async function startServerMetrics(
  config: Pick<Config, "metricsHost" | "metricsPort">,
  database: Database,
  logger: Logger,
): Promise<MetricsServer | undefined> {
  if (config.metricsPort === undefined) return undefined;
  recordServerMetrics(database);
  const server = await startMetricsServer(config.metricsHost, config.metricsPort, processMetricsText);
  logger.info({ url: server.url }, "metrics listening");
  return server;
}
