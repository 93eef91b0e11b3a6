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
  findListWithItems,
  type ListRecord,
  listItems,
  listSharees,
  listsOwnedBy,
  listsSharedWith,
  shareList,
} from "./list-store.ts";

export type ListRoutesDeps = {
  db: Kysely<Schema>;
  render: RenderPage;
  errorPage: ErrorPage;
  /** So that a list made before logging in becomes the user's at login (accounts/anonymous-lists.ts). */
  rememberAnonymousList: (c: Context<AppEnv>, listId: string) => void;
};

/** A list the current user may see, with the people it is shared with. */
type VisibleList = { list: ListRecord; sharees: string[] };

const NO_SUCH_LIST = "There is no such list, or you don't have access to it.";

export function listRoutes({ db, render, errorPage, rememberAnonymousList }: ListRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  /** The list's sharees if the current user may see it; undefined means "answer 404". */
  async function shareesIfVisible(c: Context<AppEnv>, list: ListRecord): Promise<string[] | undefined> {
    const sharees = list.ownerEmail === null ? [] : await listSharees(db, list.id);
    return canView(list, sharees, c.get("user")) ? sharees : undefined;
  }

  /** The list and its sharees if the current user may see it; undefined means "answer 404". */
  async function visibleList(c: Context<AppEnv>): Promise<VisibleList | undefined> {
    const id = c.req.param("id") ?? "";
    const list = isListId(id) ? await findList(db, id) : undefined;
    const sharees = list && (await shareesIfVisible(c, list));
    return list && sharees && { list, sharees };
  }

  function renderList(
    c: Context<AppEnv>,
    { list, sharees }: VisibleList,
    items: string[],
    errors: ListPageErrors = {},
    status: 200 | 400 = 200,
  ) {
    const view = { id: list.id, items, ownerEmail: list.ownerEmail, sharees, canShare: canShare(list, c.get("user")) };
    return render(c, listPage(view, c.get("csrfToken"), errors), status);
  }

  /** The list page again, with what was wrong with the form just posted. */
  async function renderListWithErrors(c: Context<AppEnv>, visible: VisibleList, errors: ListPageErrors) {
    return renderList(c, visible, await listItems(db, visible.list.id), errors, 400);
  }

  routes.get("/", (c) => render(c, homePage({ csrfToken: c.get("csrfToken") })));

  routes.post("/lists/new", async (c) => {
    const result = validateItemText(c.get("form").text);
    if (!result.ok) return render(c, homePage({ csrfToken: c.get("csrfToken"), error: result.error }), 400);
    const id = await createList(db, c.get("user"), result.text);
    if (c.get("user") === null) rememberAnonymousList(c, id);
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
    const id = c.req.param("id");
    const found = isListId(id) ? await findListWithItems(db, id) : undefined;
    const sharees = found && (await shareesIfVisible(c, found.list));
    if (!found || !sharees) return errorPage(c, 404, NO_SUCH_LIST);
    return renderList(c, { list: found.list, sharees }, found.items);
  });

  routes.post("/lists/:id/", async (c) => {
    const found = await visibleList(c);
    if (!found) return errorPage(c, 404, NO_SUCH_LIST);
    const result = validateItemText(c.get("form").text);
    if (!result.ok) return renderListWithErrors(c, found, { itemError: result.error });
    if ((await addItem(db, found.list.id, result.text)) === "duplicate") {
      return renderListWithErrors(c, found, { itemError: DUPLICATE_ITEM_ERROR, itemValue: result.text });
    }
    return redirect(c, `/lists/${found.list.id}/`);
  });

  routes.post("/lists/:id/share", async (c) => {
    const found = await visibleList(c);
    if (!found) return errorPage(c, 404, NO_SUCH_LIST);
    if (!canShare(found.list, c.get("user"))) return errorPage(c, 403, "Only the list's owner can share it.");
    const sharee = normalizeEmail(c.get("form").sharee);
    if (!sharee.ok) return renderListWithErrors(c, found, { shareError: sharee.error });
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
