// How the server opens its database: sizes and timeouts from the configuration, and a
// warning (without the connection's secrets) when PostgreSQL drops a connection.
import type { Config } from "../config.ts";
import type { Logger } from "../runtime/logger.ts";
import type { DatabaseOptions } from "./database.ts";
import { loggableDatabaseError } from "./errors.ts";

export function databaseOptions(config: Config, logger: Logger): DatabaseOptions {
  return {
    createSqliteFile: !config.productionMode,
    poolSize: config.databasePoolSize,
    timeoutMs: config.databaseTimeoutMs,
    maxWaiting: config.databasePoolQueueLimit,
    onConnectionError: (error) =>
      logger.warn({ err: loggableDatabaseError(error) }, "database connection lost; reconnecting"),
  };
}
