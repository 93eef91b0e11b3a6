// The flash shown after items were removed, with its "Undo" button, and how an item's
// text is quoted in a flash: shortened, as the flash travels in a cookie (4 KB at most).
import type { Flash } from "../web/app-env.ts";
import type { Removal } from "./removed-items.ts";

const QUOTED_LENGTH = 60;

export function quotedItem(text: string): string {
  const characters = [...text];
  return `“${characters.length > QUOTED_LENGTH ? `${characters.slice(0, QUOTED_LENGTH - 1).join("")}…` : text}”`;
}

export function removedItemsFlash(listId: string, removal: Removal): Flash {
  const [first = ""] = removal.texts;
  const text = removal.count === 1 ? `Deleted ${quotedItem(first)}.` : `Cleared ${removal.count} completed items.`;
  return { level: "success", text, undo: { action: `/lists/${listId}/undo`, token: removal.undoToken } };
}
