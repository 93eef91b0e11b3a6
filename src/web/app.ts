// Assembles the web application: middleware in order, then the feature routes.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { accountRoutes } from "../accounts/account-routes.ts";
import { sessionMiddleware } from "../accounts/session-middleware.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import { isDatabaseBusy } from "../db/errors.ts";
import type { Mailer } from "../email/message.ts";
import { listRoutes } from "../lists/list-routes.ts";
import type { Logger } from "../logger.ts";
import { allowedHosts } from "./allowed-hosts.ts";
import type { AppEnv } from "./app-env.ts";
import { csrfProtection } from "./csrf.ts";
import { errorPageRenderer } from "./error-pages.ts";
import { flashMessages } from "./flash.ts";
import { formBody, isAbortedRequest } from "./form-body.ts";
import { formSizeLimit } from "./form-size-limit.ts";
import { HEALTH_PATHS, healthRoutes } from "./health-routes.ts";
import { validHostHeader } from "./host-header.ts";
import { pageRenderer } from "./render.ts";
import { requestContext } from "./request-context.ts";
import { beforeRoute } from "./request-steps.ts";
import { setHeader } from "./response-headers.ts";
import { securityHeaders } from "./security-headers.ts";
import { loadStaticAssets, type StaticAssets } from "./static-assets.ts";
import { staticRoutes } from "./static-routes.ts";

export const MAX_FORM_BYTES = 64 * 1024;
/** When a user who met a busy database should try again. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

export type AppDeps = {
  config: Config;
  database: Database;
  logger: Logger;
  mailer: Mailer;
  assets?: StaticAssets;
};

export function createApp({ config, database, logger, mailer, assets = loadStaticAssets() }: AppDeps): Hono<AppEnv> {
  const render = pageRenderer(assets);
  const errorPage = errorPageRenderer(render);
  const app = new Hono<AppEnv>();

  app.use(
    requestContext(logger),
    beforeRoute(
      securityHeaders(),
      validHostHeader(errorPage),
      // Probes come from load balancers and orchestrators by IP address.
      allowedHosts(config.allowedHosts, errorPage, HEALTH_PATHS),
    ),
  );
  app.route("/", healthRoutes(database));
  app.route("/static", staticRoutes(assets));

  app.post("*", formSizeLimit(MAX_FORM_BYTES, errorPage), formBody(errorPage));
  app.use(
    beforeRoute(
      csrfProtection(errorPage, config.trustProxy),
      flashMessages(config.secretKey, config.trustProxy),
      sessionMiddleware(database.db, config.sessionCookieName),
    ),
  );
  app.route("/", listRoutes({ db: database.db, config, render, errorPage }));
  app.route("/accounts", accountRoutes({ db: database.db, config, mailer }));

  app.notFound((c) => errorPage(c, 404, "There is no page at this address."));
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return errorPage(c, error.status as 400, error.message || "The request could not be handled.");
    }
    if (isAbortedRequest(error)) {
      (c.get("logger")?.() ?? logger).info("request aborted by the client while sending its body");
      return errorPage(c, 400, "The request was cut off before it was complete. Please submit the form again.");
    }
    if (isDatabaseBusy(error)) {
      (c.get("logger")?.() ?? logger).warn({ err: error }, "database busy: the user was asked to try again");
      setHeader(c, "Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
      return errorPage(c, 503, "The site is busy right now. Please try again in a few seconds.");
    }
    const requestId = c.get("requestId") ?? "unknown";
    // The request's logger already carries the id: adding it again would repeat the JSON key.
    (c.get("logger")?.() ?? logger.child({ requestId })).error({ err: error }, "unhandled error");
    return errorPage(
      c,
      500,
      `Something went wrong on our side. Please quote request id ${requestId} if you report it.`,
    );
  });
  return app;
}
