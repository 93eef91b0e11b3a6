// Who may see and share a list. An ownerless list is reachable by its
// (unguessable) URL; an owned one only by its owner and the people it is shared with.
import type { ListRecord } from "./list-store.ts";

export function canView(list: ListRecord, sharees: readonly string[], user: string | null): boolean {
  if (list.ownerEmail === null) return true;
  return user !== null && (user === list.ownerEmail || sharees.includes(user));
}

export function canShare(list: ListRecord, user: string | null): boolean {
  return list.ownerEmail !== null && user === list.ownerEmail;
}
