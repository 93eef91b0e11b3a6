// "Clear completed" and "Undo" (of a deleted item or a clear): whoever may change a
// list's items may use them. Deleting one item is in list-routes.ts; it offers Undo too.
import { Hono } from "hono";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Schema } from "../db/schema.ts";
import type { AppEnv } from "../web/app-env.ts";
import type { ErrorPage } from "../web/error-pages.ts";
import { setFlash } from "../web/flash.ts";
import type { PublishListChange } from "./list-change.ts";
import { clearCompleted, restoreRemoved } from "./removed-items.ts";
import { removedItemsFlash } from "./undo-flash.ts";
import { NO_SUCH_LIST, visibleListReader } from "./visible-list.ts";

export type RemovalRoutesDeps = {
  db: Kysely<Schema>;
  config: Pick<Config, "secretKey" | "maxItemsPerList">;
  errorPage: ErrorPage;
  publishChange: PublishListChange;
};

export function removalRoutes({ db, config, errorPage, publishChange }: RemovalRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const maxItems = config.maxItemsPerList;

  const visibleList = visibleListReader(db);

  routes.post("/lists/:id/clear", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const removal = await clearCompleted(db, list.id);
    if (removal) publishChange(c, list.id);
    await setFlash(
      c,
      config,
      removal ? removedItemsFlash(list.id, removal) : { level: "warning", text: "No item is done: nothing to clear." },
    );
    return c.redirect(`/lists/${list.id}/`);
  });

  routes.post("/lists/:id/undo", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const restored = await restoreRemoved(db, list.id, c.get("form").undo ?? "", maxItems);
    const warn = (text: string) => setFlash(c, config, { level: "warning", text });
    switch (restored.result) {
      case "restored":
        publishChange(c, list.id);
        await setFlash(c, config, {
          level: "success",
          text: restored.count === 1 ? "The item is back." : `${restored.count} items are back.`,
        });
        break;
      case "expired":
        await warn("That can no longer be undone (it was undone already, or too long ago).");
        break;
      case "duplicate":
        await warn("Can't undo: the list has an item with the same text again. Delete or edit it, then undo.");
        break;
      case "full":
        await warn(`Can't undo: a list can hold at most ${maxItems} items. Delete some, then undo.`);
        break;
    }
    return c.redirect(`/lists/${list.id}/`);
  });

  return routes;
}
