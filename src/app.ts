// The composition root of the web application: the life of a request, in order.
// docs/architecture.md says where to add a route, a step, a header or a query.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { accountRoutes } from "./accounts/account-routes.ts";
import { rememberAnonymousList } from "./accounts/anonymous-lists.ts";
import { loggedInUser } from "./accounts/logged-in-user.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import { isDatabaseBusy, isDatabaseUnavailable } from "./db/errors.ts";
import type { Mailer } from "./email/message.ts";
import { listRoutes } from "./lists/list-routes.ts";
import { removalRoutes } from "./lists/removal-routes.ts";
import { listEventRoutes } from "./live/list-event-routes.ts";
import { type LiveLists, processLiveLists } from "./live/live-lists.ts";
import { listChangePublisher } from "./live/publish-list-change.ts";
import { databaseErrorsTotal } from "./metrics/metrics.ts";
import { recordRequestDuration } from "./metrics/request-metrics.ts";
import type { Logger } from "./runtime/logger.ts";
import { allowedHosts } from "./web/allowed-hosts.ts";
import type { AppEnv } from "./web/app-env.ts";
import { csrfProtection } from "./web/csrf.ts";
import { databaseUnavailablePage } from "./web/database-unavailable.ts";
import { errorPageRenderer } from "./web/error-pages.ts";
import { flashMessages } from "./web/flash.ts";
import { readForm } from "./web/form-body.ts";
import { healthRoutes } from "./web/health-routes.ts";
import { validHostHeader } from "./web/host-header.ts";
import { privatePages } from "./web/private-pages.ts";
import { pageRenderer } from "./web/render.ts";
import { requestLog } from "./web/request-log.ts";
import { requestOrigin } from "./web/request-origin.ts";
import { requestPipeline } from "./web/request-pipeline.ts";
import { securityHeaders } from "./web/security-headers.ts";
import { loadStaticAssets, type StaticAssets } from "./web/static-assets.ts";
import { staticFiles } from "./web/static-files.ts";

export const MAX_FORM_BYTES = 64 * 1024;
/** When a user who met a busy database should try again. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

export type AppDeps = {
  config: Config;
  database: Database;
  logger: Logger;
  mailer: Mailer;
  assets?: StaticAssets;
  /** True once the server has begun to shut down (then /readyz says "not ready"). */
  isShuttingDown?: () => boolean;
  /** Live list pages: changes and event streams (src/live/). */
  live?: LiveLists;
};

export function createApp({
  config,
  database,
  logger,
  mailer,
  assets = loadStaticAssets(),
  isShuttingDown = () => false,
  live = processLiveLists(),
}: AppDeps): Hono<AppEnv> {
  const render = pageRenderer(assets);
  const publishChange = listChangePublisher(live.changes);
  const errorPage = errorPageRenderer(render);
  const app = new Hono<AppEnv>();

  // Around everything: the request id (the caller's X-Request-Id if sane), the request's
  // logger and log line (and, only when metrics are on, its duration in the metrics), and
  // the security headers, on every response, probes and error pages included.
  app.use(requestId({ limitLength: 128 }));
  app.use(requestLog(logger, { recordDuration: config.metricsPort !== undefined ? recordRequestDuration : undefined }));
  app.use(securityHeaders());
  // Probes come from load balancers by IP address and need nothing of what follows.
  app.route("/", healthRoutes(database, isShuttingDown));
  // Before the routes, in this order; any step may answer instead of the route.
  app.use(
    requestPipeline([
      // The origin the browser used and its address, proxy headers applied.
      requestOrigin(config.trustProxy),
      // Pages stay out of caches (static files say otherwise).
      privatePages(),
      // A Host header that is not a host name is refused whatever ALLOWED_HOSTS says.
      validHostHeader(errorPage),
      // Links in login emails are built from the host: only the allowed ones are served.
      allowedHosts(config.allowedHosts, errorPage),
      // Files need no form, cookie or session.
      staticFiles(assets, errorPage),
      // A POST's form, read once (size limit, content type), for the CSRF check and the route.
      readForm(MAX_FORM_BYTES, errorPage),
      csrfProtection(errorPage),
      flashMessages(config),
      loggedInUser(database.db, config.sessionCookieName),
    ]),
  );
  app.route(
    "/",
    listRoutes({
      db: database.db,
      config,
      mailer,
      render,
      errorPage,
      rememberAnonymousList: (c, listId) => rememberAnonymousList(c, config, listId),
      publishChange,
    }),
  );
  app.route("/", removalRoutes({ db: database.db, config, errorPage, publishChange }));
  app.route("/", listEventRoutes({ db: database.db, errorPage, changes: live.changes, streams: live.streams }));
  app.route("/accounts", accountRoutes({ db: database.db, config, mailer, render }));

  app.notFound((c) => errorPage(c, 404, "There is no page at this address."));
  app.onError((error, c) => {
    // The request's own logger carries its id; an error before it was made uses the app's.
    const requestLogger = c.get("logger")?.() ?? logger;
    if (error instanceof HTTPException && error.status < 500) {
      return errorPage(c, error.status as 400, error.message || "The request could not be handled.");
    }
    if (isDatabaseBusy(error)) {
      databaseErrorsTotal.inc({ kind: "busy" });
      requestLogger.warn({ err: error }, "database busy: the user was asked to try again");
      c.header("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
      return errorPage(c, 503, "The site is busy right now. Please try again in a few seconds.");
    }
    if (isDatabaseUnavailable(error)) {
      return databaseUnavailablePage(c, error, { database, logger: requestLogger, errorPage });
    }
    requestLogger.error({ err: error }, "unhandled error");
    return errorPage(
      c,
      500,
      `Something went wrong on our side. Please quote request id ${c.get("requestId")} if you report it.`,
    );
  });
  return app;
}
