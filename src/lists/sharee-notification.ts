// Emails someone a list was just shared with its link, within the login emails' rate
// limits (counted per sharer, per client IP and both): sharing still happens when the
// email is refused or fails, and the owner is told.
import type { Context } from "hono";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Schema } from "../db/schema.ts";
import type { Mailer } from "../email/message.ts";
import { emailRateLimits, emailRefusal, type RateLimitConfig } from "../email/rate-limits.ts";
import type { AppEnv } from "../web/app-env.ts";
import { audit } from "../web/audit.ts";
import { rateLimitKey } from "../web/client-address.ts";
import { shareEmail } from "./share-email.ts";
import { forgetShareEmail, recentShareEmails, recordShareEmail } from "./share-emails.ts";

export type ShareeNotificationDeps = {
  db: Kysely<Schema>;
  mailer: Mailer;
  config: Pick<Config, "email"> & RateLimitConfig;
};

export type ShareeNotified = "sent" | "limited" | "failed";

export async function notifySharee(
  { db, mailer, config }: ShareeNotificationDeps,
  c: Context<AppEnv>,
  { listId, listName, sharer, sharee }: { listId: string; listName: string; sharer: string; sharee: string },
): Promise<ShareeNotified> {
  const limits = emailRateLimits(config);
  const record = { sharer, sharee, requesterIp: rateLimitKey(c.get("clientIp")()) };
  const now = Date.now();
  // Counted after recording our own, so concurrent shares see each other (as login emails do).
  await recordShareEmail(db, record, now);
  const refusal = emailRefusal(
    await recentShareEmails(db, record, { cooldownSeconds: limits.cooldownSeconds, now }),
    limits,
  );
  if (refusal) {
    await forgetShareEmail(db, record, now);
    c.get("logger")().warn({ refusal }, "share email refused: rate limit");
    return "limited";
  }
  const listUrl = `${c.get("origin")}/lists/${listId}/`;
  try {
    await mailer.send(shareEmail({ from: config.email.from, to: sharee, sharer, listName, listUrl }));
  } catch (error) {
    c.get("logger")().error({ err: error }, "could not send the share email");
    await forgetShareEmail(db, record, now);
    return "failed";
  }
  audit(c, "share-email-sent", { listId, user: sharer, sharee });
  return "sent";
}
