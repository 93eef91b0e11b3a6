// Routes of the lists feature: home, new list, a list page, add item, share,
// the item actions (done, edit, delete), rename, delete and leave a list, My Lists.
import { type Context, Hono } from "hono";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Schema } from "../db/schema.ts";
import { normalizeEmail } from "../email/email-address.ts";
import type { Mailer } from "../email/message.ts";
import type { AppEnv, Flash } from "../web/app-env.ts";
import { audit } from "../web/audit.ts";
import type { ErrorPage } from "../web/error-pages.ts";
import { setFlash } from "../web/flash.ts";
import type { RenderPage } from "../web/render.ts";
import { parseItemId } from "./item-id.ts";
import { DUPLICATE_ITEM_ERROR, validateItemText } from "./item-text.ts";
import { canLeave, canManage, canShare, canView } from "./list-access.ts";
import type { PublishListChange } from "./list-change.ts";
import { isListId } from "./list-id.ts";
import { listDisplayName, validateListName } from "./list-name.ts";
import {
  deleteListPage,
  editItemPage,
  homePage,
  type ListPageErrors,
  leaveListPage,
  listPage,
  type MyListsPages,
  myListsPage,
} from "./list-pages.ts";
import {
  addItem,
  countDoneItems,
  createList,
  deleteList,
  editItem,
  findItem,
  findListWithItems,
  type Item,
  type ListRecord,
  type ListWithItems,
  listsOwnedBy,
  listsSharedWith,
  renameList,
  setItemDone,
  shareList,
  unshareList,
} from "./list-store.ts";
import { removeItem } from "./removed-items.ts";
import { notifySharee, type ShareeNotificationDeps, type ShareeNotified } from "./sharee-notification.ts";
import { removedItemsFlash } from "./undo-flash.ts";
import { NO_SUCH_LIST, visibleListReader } from "./visible-list.ts";

export type ListRoutesDeps = {
  db: Kysely<Schema>;
  config: Pick<Config, "secretKey" | "maxItemsPerList"> & ShareeNotificationDeps["config"];
  mailer: Mailer;
  render: RenderPage;
  errorPage: ErrorPage;
  /** So that a list made before logging in becomes the user's at login (accounts/anonymous-lists.ts). */
  rememberAnonymousList: (c: Context<AppEnv>, listId: string) => Promise<void>;
  /** Tells the list's open pages that it changed (src/live/). */
  publishChange: PublishListChange;
};

const NO_SUCH_ITEM = "There is no such item on this list.";
export const MY_LISTS_PAGE_SIZE = 100;
const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

/** What the owner is told after sharing: whether the person was emailed the link. */
function sharedFlash(email: string, notified: ShareeNotified | "already"): Flash {
  switch (notified) {
    case "sent":
      return { level: "success", text: `Shared with ${email}. We've emailed them the list's link.` };
    case "already":
      return { level: "success", text: `Shared with ${email}.` };
    case "limited":
      return {
        level: "warning",
        text: `Shared with ${email}, but we didn't email them: too many emails were sent recently. They will find the list in My lists.`,
      };
    case "failed":
      return {
        level: "warning",
        text: `Shared with ${email}, but we couldn't email them. They will find the list in My lists.`,
      };
  }
}

function tooManyItemsError(maxItems: number): string {
  return `A list can hold at most ${maxItems} items: delete some before adding more`;
}

export function listRoutes({
  db,
  config,
  mailer,
  render,
  errorPage,
  rememberAnonymousList,
  publishChange,
}: ListRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const maxItems = config.maxItemsPerList;

  const visibleList = visibleListReader(db);

  /**
   * The visible list and the well-formed item id named in the URL; undefined means "answer
   * 404". Whether the list holds that item is for the action's one statement to say.
   */
  async function itemAddress(c: Context<AppEnv>): Promise<{ list: ListRecord; itemId: number } | undefined> {
    const itemId = parseItemId(c.req.param("itemId"));
    const list = itemId === undefined ? undefined : await visibleList(c);
    return list && itemId !== undefined ? { list, itemId } : undefined;
  }

  /** The visible list's item named in the URL; undefined means "answer 404". */
  async function visibleItem(c: Context<AppEnv>): Promise<{ list: ListRecord; item: Item } | undefined> {
    const address = await itemAddress(c);
    const item = address && (await findItem(db, address.list.id, address.itemId));
    return address && item && { list: address.list, item };
  }

  async function renderList(
    c: Context<AppEnv>,
    list: ListRecord,
    { items, more }: Pick<ListWithItems, "items" | "more">,
    errors: ListPageErrors = {},
    status: 200 | 400 = 200,
  ) {
    const user = c.get("user");
    const view = {
      id: list.id,
      name: listDisplayName(list.name, items[0]?.text),
      items,
      more,
      maxItems,
      ownerEmail: list.ownerEmail,
      sharees: list.sharees,
      viewerLoggedIn: user !== null,
      // Counted from the items read, unless the list holds more than a page shows.
      doneCount: more ? await countDoneItems(db, list.id) : items.filter((item) => item.done).length,
      itemCount: more ? list.itemCount : items.length,
      canShare: canShare(list, user),
      canManage: canManage(list, user),
      canLeave: canLeave(list, user),
      renderedAt: Date.now(),
    };
    return render(c, listPage(view, c.get("csrfToken"), errors), status);
  }

  /** The list page again, with what was wrong with the form just posted. */
  async function renderListWithErrors(c: Context<AppEnv>, list: ListRecord, errors: ListPageErrors) {
    const current = await findListWithItems(db, list.id, maxItems);
    return renderList(c, list, current ?? { items: [], more: false }, errors, 400);
  }

  /** Where to go once a list is gone: My Lists for a logged-in user, else home. */
  function afterListGone(c: Context<AppEnv>): string {
    const user = c.get("user");
    return user === null ? "/" : `/lists/users/${encodeURIComponent(user)}/`;
  }

  routes.get("/", (c) => render(c, homePage({ csrfToken: c.get("csrfToken") })));

  routes.post("/lists/new", async (c) => {
    const result = validateItemText(c.get("form").text);
    if (!result.ok) {
      return render(
        c,
        homePage({ csrfToken: c.get("csrfToken"), error: result.error, value: c.get("form").text }),
        400,
      );
    }
    const id = await createList(db, c.get("user"), result.text);
    if (c.get("user") === null) await rememberAnonymousList(c, id);
    return c.redirect(`/lists/${id}/`);
  });

  // As Django's APPEND_SLASH does: a list's address typed without its final slash. Any
  // well-formed id is redirected, existing or not, so this tells nobody which lists exist.
  routes.get("/lists/:id", (c) => {
    const id = c.req.param("id");
    if (!isListId(id)) return errorPage(c, 404, NO_SUCH_LIST);
    return c.redirect(`/lists/${id}/${new URL(c.req.url).search}`, 301);
  });

  routes.get("/lists/:id/", async (c) => {
    const id = c.req.param("id");
    const found = isListId(id) ? await findListWithItems(db, id, maxItems) : undefined;
    if (!found || !canView(found.list, c.get("user"))) return errorPage(c, 404, NO_SUCH_LIST);
    return renderList(c, found.list, found);
  });

  routes.post("/lists/:id/", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const result = validateItemText(c.get("form").text);
    if (!result.ok) return renderListWithErrors(c, list, { itemError: result.error, itemValue: c.get("form").text });
    const added = await addItem(db, list.id, result.text, maxItems);
    if (added === "duplicate") {
      return renderListWithErrors(c, list, { itemError: DUPLICATE_ITEM_ERROR, itemValue: result.text });
    }
    if (added === "full") {
      return renderListWithErrors(c, list, { itemError: tooManyItemsError(maxItems), itemValue: result.text });
    }
    if (added === "gone") return errorPage(c, 404, NO_SUCH_LIST);
    publishChange(c, list.id);
    return c.redirect(`/lists/${list.id}/`);
  });

  routes.post("/lists/:id/share", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const user = c.get("user");
    if (!canShare(list, user)) return errorPage(c, 403, "Only the list's owner can share it.");
    const sharee = normalizeEmail(c.get("form").sharee);
    if (!sharee.ok)
      return renderListWithErrors(c, list, { shareError: sharee.error, shareValue: c.get("form").sharee });
    if (sharee.email === list.ownerEmail) {
      await setFlash(c, config, { level: "warning", text: "That's your own address: you own this list already." });
    } else {
      const added = await shareList(db, list.id, sharee.email);
      publishChange(c, list.id);
      audit(c, "list-shared", { listId: list.id, user, sharee: sharee.email });
      const notified = added
        ? await notifySharee({ db, mailer, config }, c, {
            listId: list.id,
            listName: await nameOf(list),
            sharer: user ?? "",
            sharee: sharee.email,
          })
        : "already";
      await setFlash(c, config, sharedFlash(sharee.email, notified));
    }
    return c.redirect(`/lists/${list.id}/`);
  });

  routes.post("/lists/:id/items/:itemId/done", async (c) => {
    const found = await itemAddress(c);
    if (!found) return errorPage(c, 404, NO_SUCH_ITEM);
    const done = c.get("form").done;
    if (done !== "1" && done !== "0") return errorPage(c, 400, "Say whether the item is done (1) or not (0).");
    if (!(await setItemDone(db, found.list.id, found.itemId, done === "1"))) return errorPage(c, 404, NO_SUCH_ITEM);
    publishChange(c, found.list.id);
    return c.redirect(`/lists/${found.list.id}/`);
  });

  routes.get("/lists/:id/items/:itemId/edit", async (c) => {
    const found = await visibleItem(c);
    if (!found) return errorPage(c, 404, NO_SUCH_ITEM);
    const view = { listId: found.list.id, listName: await nameOf(found.list), item: found.item };
    return render(c, editItemPage(view, c.get("csrfToken")));
  });

  routes.post("/lists/:id/items/:itemId/edit", async (c) => {
    const address = await itemAddress(c);
    if (!address) return errorPage(c, 404, NO_SUCH_ITEM);
    const { list } = address;
    const result = validateItemText(c.get("form").text);
    const edited = result.ok ? await editItem(db, list.id, address.itemId, result.text) : undefined;
    if (edited === "edited") {
      publishChange(c, list.id);
      return c.redirect(`/lists/${list.id}/`);
    }
    // The form again, with the item as it is now: read only on this rare path.
    const item = edited === "gone" ? undefined : await findItem(db, list.id, address.itemId);
    if (!item) return errorPage(c, 404, NO_SUCH_ITEM);
    const view = { listId: list.id, listName: await nameOf(list), item };
    const errors = result.ok
      ? { error: DUPLICATE_ITEM_ERROR, value: result.text }
      : { error: result.error, value: c.get("form").text };
    return render(c, editItemPage(view, c.get("csrfToken"), errors), 400);
  });

  routes.post("/lists/:id/items/:itemId/delete", async (c) => {
    const found = await itemAddress(c);
    if (!found) return errorPage(c, 404, NO_SUCH_ITEM);
    const removal = await removeItem(db, found.list.id, found.itemId);
    if (!removal) return errorPage(c, 404, NO_SUCH_ITEM);
    publishChange(c, found.list.id);
    await setFlash(c, config, removedItemsFlash(found.list.id, removal));
    return c.redirect(`/lists/${found.list.id}/`);
  });

  /** The list's name as its page shows it. */
  async function nameOf(list: ListRecord): Promise<string> {
    if (list.name !== null) return list.name;
    return listDisplayName(null, (await findListWithItems(db, list.id, 1))?.items[0]?.text);
  }

  routes.post("/lists/:id/rename", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    if (!canManage(list, c.get("user"))) return errorPage(c, 403, "Only the list's owner can rename it.");
    const result = validateListName(c.get("form").name);
    if (!result.ok)
      return renderListWithErrors(c, list, { nameError: result.error, nameValue: c.get("form").name ?? "" });
    await renameList(db, list.id, result.name);
    publishChange(c, list.id);
    return c.redirect(`/lists/${list.id}/`);
  });

  routes.get("/lists/:id/delete", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    if (!canManage(list, c.get("user"))) return errorPage(c, 403, "Only the list's owner can delete it.");
    const count = list.itemCount;
    const itemCount = count > maxItems ? `more than ${maxItems} items` : count === 1 ? "1 item" : `${count} items`;
    const listName = await nameOf(list);
    return render(c, deleteListPage({ listId: list.id, listName, itemCount }, c.get("csrfToken")));
  });

  routes.post("/lists/:id/delete", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const user = c.get("user");
    if (!canManage(list, user)) return errorPage(c, 403, "Only the list's owner can delete it.");
    // Deleted meanwhile (another tab, a double click): one deletion, one audit line, one flash.
    if (!(await deleteList(db, list.id))) return errorPage(c, 404, NO_SUCH_LIST);
    publishChange(c, list.id, { access: true });
    audit(c, "list-deleted", { listId: list.id, user });
    await setFlash(c, config, { level: "success", text: "The list was deleted." });
    return c.redirect(afterListGone(c));
  });

  routes.get("/lists/:id/leave", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    if (!canLeave(list, c.get("user")) || list.ownerEmail === null) {
      return errorPage(c, 403, "Only someone a list is shared with can leave it.");
    }
    const view = { listId: list.id, listName: await nameOf(list), ownerEmail: list.ownerEmail };
    return render(c, leaveListPage(view, c.get("csrfToken")));
  });

  routes.post("/lists/:id/sharees/remove", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const user = c.get("user");
    if (!canShare(list, user)) return errorPage(c, 403, "Only the list's owner can remove people from it.");
    // Not "sharee": the share form's input is the page's only field of that name (SPEC.md).
    const sharee = c.get("form").email ?? "";
    if (!(await unshareList(db, list.id, sharee)))
      return errorPage(c, 404, "This list is not shared with that address.");
    publishChange(c, list.id, { access: true });
    audit(c, "sharee-removed", { listId: list.id, user, sharee });
    await setFlash(c, config, { level: "success", text: `${sharee} no longer has access to this list.` });
    return c.redirect(`/lists/${list.id}/`);
  });

  routes.post("/lists/:id/leave", async (c) => {
    const list = await visibleList(c);
    if (!list) return errorPage(c, 404, NO_SUCH_LIST);
    const user = c.get("user");
    if (user === null || !canLeave(list, user)) {
      return errorPage(c, 403, "Only someone a list is shared with can leave it.");
    }
    // Left meanwhile (another tab, a double click): one audit line, one flash.
    if (!(await unshareList(db, list.id, user))) return errorPage(c, 404, NO_SUCH_LIST);
    publishChange(c, list.id, { access: true });
    audit(c, "list-left", { listId: list.id, user });
    await setFlash(c, config, { level: "success", text: "You left the list: it is no longer shared with you." });
    return c.redirect(afterListGone(c));
  });

  routes.get("/lists/users/:email/", async (c) => {
    const user = c.get("user");
    if (user === null) return errorPage(c, 403, "Log in to see your lists.");
    if (c.req.param("email").toLowerCase() !== user) return errorPage(c, 403, "You can only see your own lists.");
    const owned = c.req.query("owned_page") ?? "1";
    const shared = c.req.query("shared_page") ?? "1";
    if (!PAGE_NUMBER.test(owned) || !PAGE_NUMBER.test(shared)) {
      return errorPage(c, 400, "That page number is not valid: pages are numbered from 1.");
    }
    const pages: MyListsPages = { owned: Number(owned), shared: Number(shared) };
    const [ownedLists, sharedLists] = await Promise.all([
      listsOwnedBy(db, user, { page: pages.owned, pageSize: MY_LISTS_PAGE_SIZE }),
      listsSharedWith(db, user, { page: pages.shared, pageSize: MY_LISTS_PAGE_SIZE }),
    ]);
    return render(c, myListsPage(user, ownedLists, sharedLists, pages));
  });

  return routes;
}
