// Passwordless login: request a link by email, follow it to log in, log out.
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Schema } from "../db/schema.ts";
import type { Mailer } from "../email/message.ts";
import type { AppEnv } from "../web/app-env.ts";
import { setFlash } from "../web/flash.ts";
import { deleteCookie, redirect, setCookie } from "../web/response-headers.ts";
import { normalizeEmail } from "./email-address.ts";
import { loginEmail } from "./login-email.ts";
import { issueLoginToken, recentLoginRequests, redeemLoginToken, revokeLoginToken } from "./login-tokens.ts";
import { createSession, deleteSession } from "./sessions.ts";

export const CHECK_EMAIL_MESSAGE = "Check your email, we've sent you a link you can use to log in.";
export const INVALID_LINK_MESSAGE = "Invalid login link, please request a new one";
export const SEND_FAILED_MESSAGE = "Sorry, we couldn't send your login email, please try again later.";
export const RATE_LIMITED_MESSAGE =
  "Too many login emails have been requested. Please check your inbox, or wait a while before asking again.";

export type AccountRoutesDeps = { db: Kysely<Schema>; config: Config; mailer: Mailer };

export function accountRoutes({ db, config, mailer }: AccountRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const warn = (text: string) => ({ level: "warning", text }) as const;

  routes.post("/send_login_email", async (c) => {
    const address = normalizeEmail(c.get("form").email);
    if (!address.ok) {
      setFlash(c, config, warn(address.error));
      return redirect(c, "/");
    }
    const email = address.email;
    const requesterIp = c.get("clientIp")();
    const token = await issueLoginToken(db, { email, requesterIp, maxAgeSeconds: config.loginTokenMaxAgeSeconds });
    // Counted after storing our own token, so concurrent requests see each other and
    // cannot all slip under the limit (checking first let a burst through).
    const recent = await recentLoginRequests(db, { email, requesterIp });
    if (recent.forEmail > config.loginEmailsPerAddressPerHour || recent.fromIp > config.loginEmailsPerIpPerHour) {
      await revokeLoginToken(db, token);
      c.get("logger")().warn({ requesterIp }, "login email refused: rate limit");
      setFlash(c, config, warn(RATE_LIMITED_MESSAGE));
      return redirect(c, "/");
    }
    const loginUrl = `${c.get("origin")}/accounts/login?token=${token}`;
    try {
      await mailer.send(loginEmail({ from: config.email.from, to: email, loginUrl }));
    } catch (error) {
      c.get("logger")().error({ err: error }, "could not send the login email");
      await revokeLoginToken(db, token);
      setFlash(c, config, warn(SEND_FAILED_MESSAGE));
      return redirect(c, "/");
    }
    setFlash(c, config, { level: "success", text: CHECK_EMAIL_MESSAGE });
    return redirect(c, "/");
  });

  routes.get("/login", async (c) => {
    const email = await redeemLoginToken(db, c.req.query("token") ?? "");
    if (!email) {
      setFlash(c, config, warn(INVALID_LINK_MESSAGE));
      return redirect(c, "/");
    }
    const key = await createSession(db, email, config.sessionMaxAgeSeconds);
    setCookie(c, config.sessionCookieName, key, { maxAge: config.sessionMaxAgeSeconds });
    c.get("logger")().info("user logged in");
    return redirect(c, "/");
  });

  routes.post("/logout", async (c) => {
    const key = getCookie(c, config.sessionCookieName);
    if (key) await deleteSession(db, key);
    deleteCookie(c, config.sessionCookieName);
    return redirect(c, "/");
  });

  return routes;
}
