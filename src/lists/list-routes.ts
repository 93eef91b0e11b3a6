// Routes of the lists feature: home, new list, a list page, add item, share, My Lists.
import { type Context, Hono } from "hono";
import type { Kysely } from "kysely";
import { normalizeEmail } from "../accounts/email-address.ts";
import type { Schema } from "../db/schema.ts";
import type { AppEnv } from "../web/app-env.ts";
import type { ErrorPage } from "../web/error-pages.ts";
import type { RenderPage } from "../web/render.ts";
import { redirect } from "../web/response-headers.ts";
import { DUPLICATE_ITEM_ERROR, validateItemText } from "./item-text.ts";
import { canShare, canView } from "./list-access.ts";
import { isListId } from "./list-id.ts";
import { homePage, type ListPageErrors, listPage, myListsPage } from "./list-pages.ts";
import {
  addItem,
  createList,
  findList,
  type ListRecord,
  listItems,
  listSharees,
  listsOwnedBy,
  listsSharedWith,
  shareList,
} from "./list-store.ts";

export type ListRoutesDeps = { db: Kysely<Schema>; render: RenderPage; errorPage: ErrorPage };

const NO_SUCH_LIST = "There is no such list, or you don't have access to it.";

export function listRoutes({ db, render, errorPage }: ListRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  /** The list and its sharees if the current user may see it; undefined means "answer 404". */
  async function visibleList(c: Context<AppEnv>): Promise<{ list: ListRecord; sharees: string[] } | undefined> {
    const id = c.req.param("id") ?? "";
    if (!isListId(id)) return undefined;
    const list = await findList(db, id);
    if (!list) return undefined;
    const sharees = list.ownerEmail === null ? [] : await listSharees(db, id);
    return canView(list, sharees, c.get("user")) ? { list, sharees } : undefined;
  }

  async function renderList(
    c: Context<AppEnv>,
    { list, sharees }: { list: ListRecord; sharees: string[] },
    errors: ListPageErrors = {},
    status: 200 | 400 = 200,
  ) {
    const items = await listItems(db, list.id);
    const view = { id: list.id, items, ownerEmail: list.ownerEmail, sharees, canShare: canShare(list, c.get("user")) };
    return render(c, listPage(view, c.get("csrfToken"), errors), status);
  }

  routes.get("/", (c) => render(c, homePage({ csrfToken: c.get("csrfToken") })));

  routes.post("/lists/new", async (c) => {
    const result = validateItemText(c.get("form").text);
    if (!result.ok) return render(c, homePage({ csrfToken: c.get("csrfToken"), error: result.error }), 400);
    const id = await createList(db, c.get("user"), result.text);
    return redirect(c, `/lists/${id}/`);
  });

  // As Django's APPEND_SLASH does: a list's address typed without its final slash. Any
  // well-formed id is redirected, existing or not, so this tells nobody which lists exist.
  routes.get("/lists/:id", (c) => {
    const id = c.req.param("id");
    if (!isListId(id)) return errorPage(c, 404, NO_SUCH_LIST);
    return redirect(c, `/lists/${id}/${new URL(c.req.url).search}`, 301);
  });

  routes.get("/lists/:id/", async (c) => {
    const found = await visibleList(c);
    if (!found) return errorPage(c, 404, NO_SUCH_LIST);
    return renderList(c, found);
  });

  routes.post("/lists/:id/", async (c) => {
    const found = await visibleList(c);
    if (!found) return errorPage(c, 404, NO_SUCH_LIST);
    const result = validateItemText(c.get("form").text);
    if (!result.ok) return renderList(c, found, { itemError: result.error }, 400);
    if ((await addItem(db, found.list.id, result.text)) === "duplicate") {
      return renderList(c, found, { itemError: DUPLICATE_ITEM_ERROR, itemValue: result.text }, 400);
    }
    return redirect(c, `/lists/${found.list.id}/`);
  });

  routes.post("/lists/:id/share", async (c) => {
    const found = await visibleList(c);
    if (!found) return errorPage(c, 404, NO_SUCH_LIST);
    if (!canShare(found.list, c.get("user"))) return errorPage(c, 403, "Only the list's owner can share it.");
    const sharee = normalizeEmail(c.get("form").sharee);
    if (!sharee.ok) return renderList(c, found, { shareError: sharee.error }, 400);
    if (sharee.email !== found.list.ownerEmail) await shareList(db, found.list.id, sharee.email);
    return redirect(c, `/lists/${found.list.id}/`);
  });

  routes.get("/lists/users/:email/", async (c) => {
    const user = c.get("user");
    if (user === null) return errorPage(c, 403, "Log in to see your lists.");
    if (c.req.param("email").toLowerCase() !== user) return errorPage(c, 403, "You can only see your own lists.");
    const [owned, shared] = await Promise.all([listsOwnedBy(db, user), listsSharedWith(db, user)]);
    return render(c, myListsPage(user, owned, shared));
  });

  return routes;
}
