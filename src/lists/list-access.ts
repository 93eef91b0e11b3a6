// Who may do what with a list. An ownerless list is reachable by its (unguessable)
// URL, and whoever has the URL may do everything with it: nobody else could. An owned
// list is seen, and its items changed, only by its owner and the people it is shared
// with; only the owner shares, renames or deletes it; only a sharee leaves it.
import type { ListRecord } from "./list-store.ts";

export function canView(list: ListRecord, user: string | null): boolean {
  if (list.ownerEmail === null) return true;
  return user !== null && (user === list.ownerEmail || list.sharees.includes(user));
}

export function canShare(list: ListRecord, user: string | null): boolean {
  return list.ownerEmail !== null && user === list.ownerEmail;
}

/** Rename and delete: the owner, or anyone with the URL of an ownerless list. */
export function canManage(list: ListRecord, user: string | null): boolean {
  return list.ownerEmail === null || user === list.ownerEmail;
}

export function canLeave(list: ListRecord, user: string | null): boolean {
  return list.ownerEmail !== null && user !== null && user !== list.ownerEmail && list.sharees.includes(user);
}
