// The server process: database opened and migrated, the app served, and a graceful
// shutdown on SIGTERM/SIGINT; with `--workers N`, N such processes sharing the port.
// `superlists serve` (npm start) runs it.

import { createApp } from "./app.ts";
import { type Config, ConfigError } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { databaseOptions } from "./db/database-options.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { startHeartbeat } from "./db/server-heartbeats.ts";
import { deploymentWarnings } from "./deploy-checks.ts";
import { createMailer } from "./email/mailers.ts";
import { refusedEmailBackend } from "./email/production-backends.ts";
import { relayListChangesBetweenWorkers } from "./live/cluster-change-relay.ts";
import { processLiveLists, relayListChanges } from "./live/live-lists.ts";
import { openEventStreamsInProcess } from "./live/open-streams.ts";
import { startClusterMetrics, startServerMetrics } from "./metrics/server-metrics.ts";
import { schedulePurge } from "./retention/purge-schedule.ts";
import { listen } from "./runtime/http-listener.ts";
import { createLogger, type Logger } from "./runtime/logger.ts";
import { SHUTDOWN_TIMEOUT_MS, shutDownOnSignals } from "./runtime/shutdown.ts";
import { isWorkerPrimary, superviseWorkers, type WorkerCount } from "./runtime/workers.ts";

export type RunningServer = {
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close: () => Promise<void>;
};

/**
 * Email sends still under way this long after a shutdown began are abandoned: their
 * requests are then answered ("try again") and the database closed before the shutdown's
 * deadline, rather than cut off with it.
 */
const ABANDON_SENDS_AFTER_MS = SHUTDOWN_TIMEOUT_MS - 2_000;

export async function startServer(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  for (const warning of deploymentWarnings(config)) logger.warn(warning);
  const database = openDatabase(config.database, databaseOptions(config, logger));
  const applied = await migrateToLatest(database);
  if (applied.length > 0) logger.info({ applied }, "migrations applied");
  const abandonSends = new AbortController();
  const mailer = createMailer(config.email, logger, abandonSends.signal);
  let shuttingDown = false;
  const live = processLiveLists();
  const app = createApp({ config, database, logger, mailer, isShuttingDown: () => shuttingDown, live });
  const stopPurge = schedulePurge(database, logger);
  const metrics = await startServerMetrics(config, { database, openEventStreams: openEventStreamsInProcess }, logger);
  // Before listening: from its first request on, `restore` sees this server.
  const stopHeartbeat = await startHeartbeat(database, logger);
  const listener = await listen(app.fetch, { host: config.host, port: config.port });
  const stopRelay = await relayListChanges(live.changes, config.database, logger);
  logger.info({ url: listener.url, database: database.kind }, "listening");
  const close = async () => {
    shuttingDown = true;
    // Open streams would hold the listener open: ended, their pages reconnect to the next server.
    live.endStreams();
    const abandonTimer = setTimeout(
      () => abandonSends.abort(new Error("the server is shutting down")),
      ABANDON_SENDS_AFTER_MS,
    ).unref();
    try {
      await listener.close();
    } finally {
      clearTimeout(abandonTimer);
      await stopRelay();
      stopPurge();
      await stopHeartbeat();
      await metrics?.close();
      mailer.close();
      await database.db.destroy();
    }
  };
  return { url: listener.url, close };
}

/** Applies pending migrations once, before the workers start (instead of each racing to). */
async function migrate(config: Config, logger: Logger): Promise<void> {
  const database = openDatabase(config.database, { ...databaseOptions(config, logger), poolSize: 1 });
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  } finally {
    await database.db.destroy();
  }
}

/** Serves until SIGTERM/SIGINT, then shuts down gracefully; in `workers` processes if more than one. */
export async function runServer(config: Config, workers: WorkerCount = 1): Promise<void> {
  const backendRefusal = refusedEmailBackend(config);
  if (backendRefusal) throw new ConfigError(backendRefusal);
  const logger = createLogger(config);
  if (isWorkerPrimary(workers)) {
    await migrate(config, logger);
    await startClusterMetrics(config, logger);
    relayListChangesBetweenWorkers();
    superviseWorkers(workers, logger);
    return;
  }
  shutDownOnSignals(await startServer(config, logger), logger);
}
