// What the list routes call after each change they make to a list: the change, told to
// this process's open pages of the list and, through the relay, to the other processes'.
import type { PublishListChange } from "../lists/list-change.ts";
import type { ListChanges } from "./list-changes.ts";

export function listChangePublisher(changes: ListChanges): PublishListChange {
  return (c, listId, { access } = { access: false }) => {
    // Turbo names each request it makes: the page that made this change skips its refresh.
    changes.publish({ listId, requestId: c.req.header("X-Turbo-Request-Id"), access });
  };
}
