// A list's name: chosen by its owner, else its first item's text.
import { MAX_ITEM_LENGTH, validateItemText } from "./item-text.ts";

export const UNTITLED_LIST = "Untitled list";
export const EMPTY_NAME_ERROR = "A list's name can't be empty";
export const LONG_NAME_ERROR = `A list's name can be at most ${MAX_ITEM_LENGTH} characters long`;
export const NAME_CONTROL_CHARACTER_ERROR = "A list's name can't contain control characters";

export function listDisplayName(name: string | null, firstItem: string | null | undefined): string {
  return name ?? firstItem ?? UNTITLED_LIST;
}

export type ListNameResult = { ok: true; name: string } | { ok: false; error: string };

/** The same rules as an item's text (a name starts as one), with messages about names. */
export function validateListName(input: string | undefined): ListNameResult {
  const result = validateItemText(input);
  if (result.ok) return { ok: true, name: result.text };
  if ((input ?? "").trim() === "") return { ok: false, error: EMPTY_NAME_ERROR };
  if ([...(input ?? "").trim()].length > MAX_ITEM_LENGTH) return { ok: false, error: LONG_NAME_ERROR };
  return { ok: false, error: NAME_CONTROL_CHARACTER_ERROR };
}
