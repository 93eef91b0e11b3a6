// Every migration, by name; names sort in the order they apply.
import type { Migration } from "kysely/migration";
import type { DatabaseKind } from "../database.ts";
import { initialSchema } from "./001-initial.ts";
import { loginTokenBrowser } from "./002-login-token-browser.ts";
import { listNamesAndDoneItems } from "./003-list-names-and-done-items.ts";
import { serverHeartbeats } from "./004-server-heartbeats.ts";
import { removedItemsAndShareEmails } from "./005-removed-items-and-share-emails.ts";

export function allMigrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    "001-initial": initialSchema(kind),
    "002-login-token-browser": loginTokenBrowser,
    "003-list-names-and-done-items": listNamesAndDoneItems(),
    "004-server-heartbeats": serverHeartbeats,
    "005-removed-items-and-share-emails": removedItemsAndShareEmails,
  };
}
