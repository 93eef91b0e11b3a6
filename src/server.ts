// Starts the HTTP server: database opened and migrated, app mounted, graceful
// shutdown on SIGTERM/SIGINT. `superlists serve` (npm start) runs it.
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Config, ConfigError } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { deploymentWarnings } from "./deploy-checks.ts";
import { createMailer } from "./email/mailers.ts";
import { refusedEmailBackend } from "./email/production-backends.ts";
import { createLogger, type Logger } from "./logger.ts";
import { type MemorySaverLimits, watchMemory } from "./memory-saver.ts";
import { serverResponseClass } from "./server-response.ts";
import { createApp } from "./web/app.ts";

export type RunningServer = {
  url: string;
  server: ServerType;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close: () => Promise<void>;
};

export async function startServer(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  const backendRefusal = refusedEmailBackend(config);
  if (backendRefusal) throw new ConfigError(backendRefusal);
  for (const warning of deploymentWarnings(config)) logger.warn(warning);
  const database = openDatabase(config.database, {
    poolSize: config.databasePoolSize,
    onIdleConnectionError: (error) => logger.warn({ err: error }, "database connection lost while idle; reconnecting"),
  });
  const applied = await migrateToLatest(database);
  if (applied.length > 0) logger.info({ applied }, "migrations applied");
  const mailer = createMailer(config.email, logger);
  const app = createApp({ config, database, logger, mailer });

  let closing: Promise<void> | undefined;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch,
        hostname: config.host,
        port: config.port,
        serverOptions: {
          ServerResponse: serverResponseClass({
            isClosing: () => closing !== undefined,
            onEndError: (error) => logger.error({ err: error }, "a response failed to end; its connection was closed"),
          }),
        },
      },
      () => resolve(started),
    );
    started.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, database: database.kind }, "listening");

  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      if ("closeIdleConnections" in server) server.closeIdleConnections();
    }).finally(async () => {
      mailer.close();
      await database.db.destroy();
    });
    return closing;
  };
  return { url, server, close };
}

const SHUTDOWN_GRACE_MS = 10_000;
const MB = 2 ** 20;
// The bench's target is RSS < 150 MB after its load; idle, the server holds about 100 MB,
// 51 MB of it the node binary. The gap between the limits keeps the mode from flapping.
const MEMORY_SAVER_LIMITS: MemorySaverLimits = { onAboveBytes: 130 * MB, offBelowBytes: 115 * MB, checkEveryMs: 250 };

/** Runs until SIGTERM/SIGINT, then shuts down gracefully; exits non-zero if that fails. */
export async function runServer(config: Config): Promise<void> {
  const logger = createLogger(config);
  const running = await startServer(config, logger);
  watchMemory(MEMORY_SAVER_LIMITS, (on, rssBytes) =>
    logger.debug({ rssMB: Math.round(rssBytes / MB) }, on ? "memory saver mode on" : "memory saver mode off"),
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    setTimeout(() => {
      logger.error("in-flight requests did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    running.close().then(
      () => {
        logger.info("shut down cleanly");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
