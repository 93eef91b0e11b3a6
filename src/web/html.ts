// HTML templates that escape by default: html`<p>${text}</p>` escapes every
// interpolated string, and only markup made by this same tag goes in as it is.
// Hono's html helper does the same, but wraps every value in arrays and String objects:
// this one keeps plain strings, which long lists render measurably faster with
// (docs/performance.md, "Hand-made mechanisms"). A quote becomes "&#34;", a byte shorter
// than "&quot;": no character then costs more than 5 bytes, which bounds a list page.

const SPECIAL_CHARACTERS = /[&<>"']/;
const SPECIAL_CHARACTERS_GLOBAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };

/** Markup that is safe to insert as it is. Only the html tag makes it: the class is not exported. */
class SafeMarkup {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

export type Html = SafeMarkup;

/** What a template accepts: text (escaped), numbers, markup, lists of them; nothing renders as "". */
export type HtmlValue = string | number | Html | null | undefined | readonly HtmlValue[];

function escapeHtml(text: string): string {
  return SPECIAL_CHARACTERS.test(text)
    ? text.replace(SPECIAL_CHARACTERS_GLOBAL, (character) => ENTITIES[character] ?? character)
    : text;
}

function markupOf(value: HtmlValue): string {
  if (typeof value === "string") return escapeHtml(value);
  if (value instanceof SafeMarkup) return value.toString();
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map(markupOf).join("");
  return "";
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let markup = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) markup += markupOf(values[i]) + (strings[i + 1] ?? "");
  return new SafeMarkup(markup);
}
