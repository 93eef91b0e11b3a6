// Readers of rendered pages for the attack tests: escaping as the templates do
// it, the page's element structure, the flash message and the sharee list.

/** Escapes as the html tag (src/web/html.ts) does for text and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&#34;")
    .replaceAll("'", "&#39;");
}

const TAG = /<!--|<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s"'=<>/`]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'=<>/`]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

/**
 * The page's elements as "tag attr1 attr2…" (names only, no values or text) and its
 * comment openings. Two renderings of one page with different user data have the
 * same structure unless the data escaped into markup: a new element, attribute,
 * event handler or comment.
 */
export function pageStructure(page: string): string[] {
  return [...page.matchAll(TAG)].map(([whole, close, name, attributes]) => {
    if (whole === "<!--") return "<!--";
    const names = [...(attributes ?? "").matchAll(ATTRIBUTE)].map((match) => match[1]?.toLowerCase());
    return `${close}${name?.toLowerCase()} ${names.join(" ")}`.trim();
  });
}

/** Each `li.list-sharee`'s text (still escaped): the owner's view adds a button without text. */
export function sharees(page: string): string[] {
  return [...page.matchAll(/<li class="list-sharee"[^>]*>([\s\S]*?)<\/li>/g)].map((match) =>
    (match[1] ?? "").replace(/<[^>]*>/g, ""),
  );
}

export function shareFeedback(page: string): string {
  return page.match(/<div id="id_sharee_feedback" class="invalid-feedback">([\s\S]*?)<\/div>/)?.[1] ?? "";
}

/** The lead paragraph of an error page (its message). */
export function errorMessage(page: string): string {
  return page.match(/<p class="lead text-center">([\s\S]*?)<\/p>/)?.[1] ?? "";
}

/** A refusal the user can understand: an error page's message or a form's error text. */
export function hasClearMessage(page: string): boolean {
  const formError = /<div id="id_(?:text|sharee)_feedback" class="invalid-feedback">([^<]+)<\/div>/.test(page);
  return errorMessage(page) !== "" || formError;
}
