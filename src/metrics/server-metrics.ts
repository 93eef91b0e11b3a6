// The server's metrics, when METRICS_PORT is set. One process: it serves its own on
// the metrics port. With `serve --workers`, each worker answers its primary's requests
// instead, and only the primary listens on the metrics port, summing the workers'.
import cluster from "node:cluster";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../runtime/logger.ts";
import { clusterMetricsText, serveMetricsToClusterPrimary } from "./cluster-metrics.ts";
import { watchDatabasePool } from "./database-metrics.ts";
import { watchOpenEventStreams } from "./event-stream-metrics.ts";
import { enableMetrics, type Metrics } from "./metrics.ts";
import { type MetricsServer, processMetricsText, startMetricsServer } from "./metrics-server.ts";

/** What a serving process's gauges read when Prometheus scrapes. */
export type GaugeSources = { database: Database; openEventStreams: () => number };

/** Starts measuring in a serving process: requests, counters, process, database pool and event streams. */
export async function recordServerMetrics({ database, openEventStreams }: GaugeSources): Promise<Metrics> {
  const metrics = await enableMetrics();
  await watchDatabasePool(metrics, database);
  await watchOpenEventStreams(metrics, openEventStreams);
  return metrics;
}

/**
 * Starts measuring in a serving process and, in a single-process server, the metrics
 * listener; nothing when metrics are off.
 */
export async function startServerMetrics(
  config: Pick<Config, "metricsHost" | "metricsPort">,
  sources: GaugeSources,
  logger: Logger,
): Promise<MetricsServer | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const metrics = await recordServerMetrics(sources);
  if (cluster.isWorker) {
    await serveMetricsToClusterPrimary(metrics);
    return undefined;
  }
  const server = await startMetricsServer(config.metricsHost, config.metricsPort, processMetricsText(metrics));
  logger.info({ url: server.url }, "metrics listening");
  return server;
}

/** The metrics listener of `serve --workers`' primary: one scrape sums every worker's metrics. */
export async function startClusterMetrics(
  config: Pick<Config, "metricsHost" | "metricsPort">,
  logger: Logger,
): Promise<MetricsServer | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const server = await startMetricsServer(config.metricsHost, config.metricsPort, await clusterMetricsText());
  logger.info({ url: server.url }, "metrics listening");
  return server;
}
