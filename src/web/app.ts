// Assembles the web application: middleware in order, then the feature routes.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { accountRoutes } from "../accounts/account-routes.ts";
import { sessionMiddleware } from "../accounts/session-middleware.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Mailer } from "../email/message.ts";
import { listRoutes } from "../lists/list-routes.ts";
import type { Logger } from "../logger.ts";
import { allowedHosts } from "./allowed-hosts.ts";
import type { AppEnv } from "./app-env.ts";
import { csrfProtection } from "./csrf.ts";
import { errorPageRenderer } from "./error-pages.ts";
import { flashMessages } from "./flash.ts";
import { formBody } from "./form-body.ts";
import { healthRoutes } from "./health-routes.ts";
import { pageRenderer } from "./render.ts";
import { requestContext } from "./request-context.ts";
import { securityHeaders } from "./security-headers.ts";
import { loadStaticAssets, type StaticAssets } from "./static-assets.ts";
import { staticRoutes } from "./static-routes.ts";

export const MAX_FORM_BYTES = 64 * 1024;

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

  app.use(requestContext(logger), securityHeaders());
  // Probes come from load balancers and orchestrators by IP address, before the host check.
  app.route("/", healthRoutes(database));
  app.use(allowedHosts(config.allowedHosts, errorPage));
  app.route("/static", staticRoutes(assets));

  app.post(
    "*",
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => errorPage(c, 413, `The form is too large (at most ${MAX_FORM_BYTES / 1024} KB).`),
    }),
    formBody(errorPage),
  );
  app.use(
    csrfProtection(errorPage, config.trustProxy),
    flashMessages(config.secretKey),
    sessionMiddleware(database.db, config.sessionCookieName),
  );
  app.route("/", listRoutes({ db: database.db, render, errorPage }));
  app.route("/accounts", accountRoutes({ db: database.db, config, mailer }));

  app.notFound((c) => errorPage(c, 404, "There is no page at this address."));
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return errorPage(c, error.status as 400, error.message || "The request could not be handled.");
    }
    const requestId = c.var.requestId ?? "unknown";
    (c.var.logger ?? logger).error({ err: error, requestId }, "unhandled error");
    return errorPage(
      c,
      500,
      `Something went wrong on our side. Please quote request id ${requestId} if you report it.`,
    );
  });
  return app;
}
