// Validation of a to-do item's text, with the messages the user sees.

export const MAX_ITEM_LENGTH = 1000;
export const EMPTY_ITEM_ERROR = "You can't have an empty list item";
export const DUPLICATE_ITEM_ERROR = "You've already got this in your list";
export const LONG_ITEM_ERROR = `An item can be at most ${MAX_ITEM_LENGTH} characters long`;
export const CONTROL_CHARACTER_ERROR = "An item can't contain control characters";

// Every control character (Unicode's Cc: C0, DEL and C1, such as NEL and CSI) but tab
// and newlines, which people paste. PostgreSQL refuses NUL outright; the others garble
// terminals and logs. A plain class: as fast as C0 alone, where \p{Cc} was twice as slow.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export type ItemTextResult = { ok: true; text: string } | { ok: false; error: string };

export function validateItemText(input: string | undefined): ItemTextResult {
  const text = (input ?? "").trim();
  if (text === "") return { ok: false, error: EMPTY_ITEM_ERROR };
  if ([...text].length > MAX_ITEM_LENGTH) return { ok: false, error: LONG_ITEM_ERROR };
  if (CONTROL_CHARACTERS.test(text)) return { ok: false, error: CONTROL_CHARACTER_ERROR };
  return { ok: true, text };
}
