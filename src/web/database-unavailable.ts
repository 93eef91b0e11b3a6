// The error handler's answer when the database cannot serve a request (connection
// lost, timeout, pool queue full, storage refusing writes): a 503 "try again" page
// with Retry-After, which load balancers and users both understand, logged once per
// kind of failure and interval instead of once per request.
import type { Context } from "hono";
import type { Database } from "../db/database.ts";
import { databaseHealth } from "../db/database-health.ts";
import { isStorageFailure, loggableDatabaseError } from "../db/errors.ts";
import { databaseErrorsTotal } from "../metrics/metrics.ts";
import type { Logger } from "../runtime/logger.ts";
import type { AppEnv } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";

export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_LOG_MESSAGE = "database unavailable: the user was asked to try again";

export function databaseUnavailablePage(
  c: Context<AppEnv>,
  error: unknown,
  { database, logger, errorPage }: { database: Database; logger: Logger; errorPage: ErrorPage },
): Response | Promise<Response> {
  const health = databaseHealth(database);
  const storage = isStorageFailure(error);
  if (storage) health.storageFailed();
  databaseErrorsTotal.inc({ kind: storage ? "storage" : "unavailable" });
  const details = loggableDatabaseError(error);
  health.errorLog.warn(
    logger,
    `${String(details.code ?? details.errcode ?? "")} ${String(details.message)}`,
    { err: details },
    UNAVAILABLE_LOG_MESSAGE,
  );
  c.header("Retry-After", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  return errorPage(c, 503, "The site cannot reach its database right now. Please try again in a few seconds.");
}
