// What the lists feature tells after each change it makes to a list, and how it tells
// it: the live list pages (src/live/) listen; app.ts connects the two.
import type { Context } from "hono";
import type { AppEnv } from "../web/app-env.ts";

export type ListChange = {
  listId: string;
  /** Turbo's id of the request that made the change: its own page needs no refresh. */
  requestId?: string | undefined;
  /** Who may see the list may have changed (a sharee left, the list was deleted): streams check again. */
  access: boolean;
};

/** Tells every open page of the list; `access`: who may see it may have changed. */
export type PublishListChange = (c: Context<AppEnv>, listId: string, options?: Pick<ListChange, "access">) => void;
