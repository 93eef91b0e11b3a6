// The item row's icons: inline SVG, so the buttons show no text (the row reads
// exactly "N: ITEM") and need no image requests. Hidden from assistive technology:
// each button's aria-label names it.
import { type Html, html } from "../web/html.ts";

function icon(path: Html): Html {
  return html`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`;
}

export const DONE_ICON = icon(html`<path d="M2.5 8.5l3.5 3.5 7.5-8"/>`);
export const EDIT_ICON = icon(html`<path d="M10.5 2.5l3 3-8 8h-3v-3z"/><path d="M8.5 4.5l3 3"/>`);
export const DELETE_ICON = icon(html`<path d="M2.5 4h11"/><path d="M6 4V2.5h4V4"/><path d="M4 4l.75 9.5h6.5L12 4"/>`);
