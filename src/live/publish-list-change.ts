// What the list routes call after each change they make to a list.
import type { Context } from "hono";
import type { AppEnv } from "../web/app-env.ts";
import type { ListChanges } from "./list-changes.ts";

/** Tells every open page of the list; `access`: who may see it may have changed. */
export type PublishListChange = (c: Context<AppEnv>, listId: string, options?: { access: boolean }) => void;

export function listChangePublisher(changes: ListChanges): PublishListChange {
  return (c, listId, { access } = { access: false }) => {
    // Turbo names each request it makes: the page that made this change skips its refresh.
    changes.publish({ listId, requestId: c.req.header("X-Turbo-Request-Id"), access });
  };
}
