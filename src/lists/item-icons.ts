// The item row's icons: inline SVG, so the buttons show no text (the row reads
// exactly "N: ITEM") and need no image requests. Each is drawn once per page as a
// symbol and used by reference in every row, under a short id: a list page carries
// a thousand of each. A button's name comes from its aria-labelledby, never from
// its content, so the icons need no text alternative.
import { type Html, html } from "../web/html.ts";

export type IconName = "done" | "edit" | "delete";

const SYMBOL_IDS: Record<IconName, string> = { done: "gd", edit: "ge", delete: "gx" };

const PATHS: Record<IconName, Html> = {
  done: html`<path d="M2.5 8.5l3.5 3.5 7.5-8"/>`,
  edit: html`<path d="M10.5 2.5l3 3-8 8h-3v-3z"/><path d="M8.5 4.5l3 3"/>`,
  delete: html`<path d="M2.5 4h11"/><path d="M6 4V2.5h4V4"/><path d="M4 4l.75 9.5h6.5L12 4"/>`,
};

const NAMES = Object.keys(PATHS) as IconName[];

/** The symbols, once per page. */
export const ICON_SYMBOLS = html`<svg class="icon-symbols" aria-hidden="true">${NAMES.map(
  (name) =>
    html`<symbol id="${SYMBOL_IDS[name]}" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round">${PATHS[name]}</symbol>`,
)}</svg>`;

export const ICONS = Object.fromEntries(
  NAMES.map((name) => [name, html`<svg><use href="#${SYMBOL_IDS[name]}"/></svg>`]),
) as Record<IconName, Html>;
