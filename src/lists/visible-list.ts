// The list a URL names, as the current user may see it: what every list route starts from.
import type { Context } from "hono";
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import type { AppEnv } from "../web/app-env.ts";
import { canView } from "./list-access.ts";
import { isListId } from "./list-id.ts";
import { findList, type ListRecord } from "./list-store.ts";

/** The same answer whether the list does not exist or is someone else's: no list is given away. */
export const NO_SUCH_LIST = "There is no such list, or you don't have access to it.";

/** Reads the list named in the URL (`:id`) if the current user may see it; undefined means "answer 404". */
export function visibleListReader(db: Kysely<Schema>): (c: Context<AppEnv>) => Promise<ListRecord | undefined> {
  return async (c) => {
    const id = c.req.param("id") ?? "";
    const list = isListId(id) ? await findList(db, id) : undefined;
    return list && canView(list, c.get("user")) ? list : undefined;
  };
}
