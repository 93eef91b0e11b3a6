// A step that puts the logged-in user's email (or null) on the request, from the session cookie.
import { getCookie } from "hono/cookie";
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import type { RequestStep } from "../web/app-env.ts";
import { sessionUser } from "./sessions.ts";

export function loggedInUser(db: Kysely<Schema>, cookieName: string): RequestStep {
  return (c) => {
    const key = getCookie(c, cookieName);
    // No cookie, no query: most requests stay synchronous.
    if (!key) {
      c.set("user", null);
      return undefined;
    }
    return sessionUser(db, key).then((user) => {
      c.set("user", user ?? null);
      return undefined;
    });
  };
}
