// The server's metrics, when METRICS_PORT is set. One process: it serves its own on
// the metrics port. With `serve --workers`, each worker calls recordServerMetrics and
// serveMetricsToClusterPrimary, and only the primary listens on the metrics port
// (startMetricsServer with clusterMetricsText, see metrics-server.ts).
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { watchDatabasePool } from "./database-metrics.ts";
import { enableMetrics, type Metrics } from "./metrics.ts";
import { type MetricsServer, processMetricsText, startMetricsServer } from "./metrics-server.ts";

/** Starts measuring in a serving process: requests, counters, process and database pool. */
export async function recordServerMetrics(database: Database): Promise<Metrics> {
  const metrics = await enableMetrics();
  await watchDatabasePool(metrics, database);
  return metrics;
}

/** Starts the metrics listener of a single-process server, or nothing when metrics are off. */
export async function startServerMetrics(
  config: Pick<Config, "metricsHost" | "metricsPort">,
  database: Database,
  logger: Logger,
): Promise<MetricsServer | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const metrics = await recordServerMetrics(database);
  const server = await startMetricsServer(config.metricsHost, config.metricsPort, processMetricsText(metrics));
  logger.info({ url: server.url }, "metrics listening");
  return server;
}
