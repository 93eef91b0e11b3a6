// Puts the logged-in user's email (or null) on the request, from the session cookie.
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import type { AppEnv } from "../web/app-env.ts";
import { sessionUser } from "./sessions.ts";

export function sessionMiddleware(db: Kysely<Schema>, cookieName: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = getCookie(c, cookieName);
    c.set("user", key ? ((await sessionUser(db, key)) ?? null) : null);
    await next();
  });
}
