// The audit trail: one structured line per account or sharing event, through the
// request's logger (so it carries the request id). Fields name who and what, never a
// token, key or password.
import type { Context } from "hono";
import type { AppEnv } from "./app-env.ts";

export type AuditEvent =
  | "login"
  | "logout"
  | "login-email-sent"
  | "login-email-failed"
  | "list-shared"
  | "list-deleted"
  | "list-left"
  | "sharee-removed"
  | "share-email-sent";

export function audit(
  c: Context<AppEnv>,
  event: AuditEvent,
  fields: Record<string, string | number | boolean | null> = {},
): void {
  c.get("logger")().info({ ...fields, audit: event }, `audit: ${event}`);
}
