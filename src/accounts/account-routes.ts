// Passwordless login: request a link by email, follow it to log in, log out.
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Schema } from "../db/schema.ts";
import { normalizeEmail } from "../email/email-address.ts";
import type { Mailer } from "../email/message.ts";
import { emailRateLimits, emailRefusal } from "../email/rate-limits.ts";
import { loginEmailsTotal } from "../metrics/metrics.ts";
import type { AppEnv } from "../web/app-env.ts";
import { audit } from "../web/audit.ts";
import { rateLimitKey } from "../web/client-address.ts";
import { cookieOptions } from "../web/cookies.ts";
import { rotateCsrfToken } from "../web/csrf.ts";
import { setFlash } from "../web/flash.ts";
import type { RenderPage } from "../web/render.ts";
import { adoptAnonymousLists } from "./adopt-anonymous-lists.ts";
import { takeAnonymousLists } from "./anonymous-lists.ts";
import { loginBrowserHash, markLoginBrowser } from "./login-browser.ts";
import { loginConfirmationPage } from "./login-confirmation-page.ts";
import { loginEmail } from "./login-email.ts";
import {
  issueLoginToken,
  pendingLoginEmail,
  type RedeemedLogin,
  recentLoginRequests,
  redeemLoginToken,
  revokeLoginToken,
  revokePendingLoginTokens,
} from "./login-tokens.ts";
import { returnPath } from "./return-path.ts";
import { createSession, deleteSession } from "./sessions.ts";

export const LOGGED_OUT_MESSAGE = "You are logged out.";
export const CHECK_EMAIL_MESSAGE = "Check your email, we've sent you a link you can use to log in.";
/** The check-email flash's second line: which address to look in (the address as normalized, so as sent). */
const sentToDetail = (email: string): string => `We sent it to ${email}.`;
export const INVALID_LINK_MESSAGE = "Invalid login link, please request a new one";
export const SEND_FAILED_MESSAGE = "Sorry, we couldn't send your login email, please try again later.";
export const RATE_LIMITED_MESSAGE =
  "Too many login emails have been requested. Please check your inbox, or wait a while before asking again.";
export const COOLDOWN_MESSAGE =
  "We've just sent a login link to this address. Please check your inbox (and spam folder), or wait a minute before asking again.";

/** A refused address is put back in the login form up to this long (it travels in the flash cookie). */
const MAX_KEPT_EMAIL = 320;

export type AccountRoutesDeps = { db: Kysely<Schema>; config: Config; mailer: Mailer; render: RenderPage };

export function accountRoutes({ db, config, mailer, render }: AccountRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const warn = (text: string) => ({ level: "warning", text }) as const;
  const limits = emailRateLimits(config);

  async function invalidLink(c: Context<AppEnv>): Promise<Response> {
    await setFlash(c, config, warn(INVALID_LINK_MESSAGE));
    return c.redirect("/");
  }

  /**
   * A fresh session (the browser's previous one ends), a fresh CSRF token and, by a link
   * opened in the browser that asked for it, that browser's anonymous lists adopted.
   * Never by the confirmation page: whoever asked for the link may not be whoever
   * confirms (an attacker's own link, sent to a victim, would take the victim's lists).
   */
  async function logIn(
    c: Context<AppEnv>,
    { email, nextPath }: RedeemedLogin,
    via: "link" | "confirmation",
  ): Promise<Response> {
    const previous = getCookie(c, config.sessionCookieName);
    if (previous) await deleteSession(db, previous);
    const key = await createSession(db, email, config.sessionMaxAgeSeconds);
    setCookie(c, config.sessionCookieName, key, cookieOptions(c, config.sessionMaxAgeSeconds));
    rotateCsrfToken(c);
    const adoptedLists = via === "link" ? await adoptAnonymousLists(db, email, await takeAnonymousLists(c, config)) : 0;
    audit(c, "login", { email, via, adoptedLists });
    return c.redirect(returnPath(nextPath));
  }

  routes.post("/send_login_email", async (c) => {
    const form = c.get("form");
    const address = normalizeEmail(form.email);
    if (!address.ok) {
      await setFlash(c, config, { ...warn(address.error), loginEmail: (form.email ?? "").slice(0, MAX_KEPT_EMAIL) });
      return c.redirect("/");
    }
    const email = address.email;
    const clientIp = c.get("clientIp")();
    const requesterIp = rateLimitKey(clientIp);
    const browserHash = markLoginBrowser(c, { maxAge: config.loginTokenMaxAgeSeconds });
    const token = await issueLoginToken(db, {
      email,
      requesterIp,
      browserHash,
      nextPath: returnPath(form.next),
      maxAgeSeconds: config.loginTokenMaxAgeSeconds,
    });
    // Counted after storing our own token, so concurrent requests see each other and
    // cannot all slip under the limit (checking first let a burst through).
    const recent = await recentLoginRequests(db, {
      email,
      requesterIp,
      cooldownSeconds: config.loginEmailCooldownSeconds,
    });
    const refusal = emailRefusal(recent, limits);
    if (refusal) {
      await revokeLoginToken(db, token);
      c.get("logger")().warn({ requesterIp: clientIp, refusal }, "login email refused: rate limit");
      await setFlash(c, config, {
        ...warn(refusal === "cooldown" ? COOLDOWN_MESSAGE : RATE_LIMITED_MESSAGE),
        loginEmail: email,
      });
      return c.redirect("/");
    }
    const loginUrl = `${c.get("origin")}/accounts/login?token=${token}`;
    try {
      await mailer.send(
        loginEmail({ from: config.email.from, to: email, loginUrl, maxAgeSeconds: config.loginTokenMaxAgeSeconds }),
      );
    } catch (error) {
      c.get("logger")().error({ err: error }, "could not send the login email");
      audit(c, "login-email-failed", { email });
      loginEmailsTotal.inc({ result: "failed" });
      await revokeLoginToken(db, token);
      await setFlash(c, config, { ...warn(SEND_FAILED_MESSAGE), loginEmail: email });
      return c.redirect("/");
    }
    audit(c, "login-email-sent", { email });
    loginEmailsTotal.inc({ result: "sent" });
    await setFlash(c, config, { level: "success", text: CHECK_EMAIL_MESSAGE, detail: sentToDetail(email) });
    return c.redirect("/");
  });

  // GET (and HEAD) never log in anyone but the browser that asked for the link: a mail
  // scanner or link preview opening it first must neither use it up nor get the session.
  routes.get("/login", async (c) => {
    const token = c.req.query("token") ?? "";
    const browserHash = loginBrowserHash(c);
    if (c.req.method === "GET" && browserHash !== undefined) {
      const redeemed = await redeemLoginToken(db, token, { browserHash });
      if (redeemed) return logIn(c, redeemed, "link");
    }
    const email = await pendingLoginEmail(db, token);
    if (!email) return invalidLink(c);
    return render(c, loginConfirmationPage({ email, token, csrfToken: c.get("csrfToken") }));
  });

  routes.post("/login", async (c) => {
    const redeemed = await redeemLoginToken(db, c.get("form").token ?? "");
    if (!redeemed) return invalidLink(c);
    return logIn(c, redeemed, "confirmation");
  });

  routes.post("/logout", async (c) => {
    const key = getCookie(c, config.sessionCookieName);
    if (key) await deleteSession(db, key);
    const user = c.get("user");
    if (user !== null) {
      // A link still lying in the mailbox must not log back in after the user logged out.
      await revokePendingLoginTokens(db, user);
      audit(c, "logout", { email: user });
    }
    deleteCookie(c, config.sessionCookieName, cookieOptions(c));
    await setFlash(c, config, { level: "success", text: LOGGED_OUT_MESSAGE });
    return c.redirect("/");
  });

  return routes;
}
