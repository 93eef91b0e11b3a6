// Small readers of rendered HTML for assertions (no DOM needed for these few shapes).

/** Each row's first cell, its markup's text (still escaped): "N: ITEM" by the UI contract. */
export function tableRows(page: string): string[] {
  const table = page.match(/<table id="id_list_table"[^>]*>([\s\S]*?)<\/table>/)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*><td[^>]*>([\s\S]*?)<\/td>/g)].map((match) => withoutTags(match[1] ?? ""));
}

function withoutTags(markup: string): string {
  return markup.replace(/<[^>]*>/g, "");
}

/** The text (still escaped) of the element with this id, if the page has one. */
function textOfElement(page: string, id: string): string | undefined {
  const element = page.match(new RegExp(`<([a-z]+)[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  return element ? withoutTags(element[2] ?? "") : undefined;
}

/**
 * The page's buttons named by aria-labelledby, with their names computed as a browser
 * does for these simple shapes: the referenced elements' texts joined by a space.
 */
export function labelledButtons(page: string): { name: string; pressed: string | undefined }[] {
  return [...page.matchAll(/<button\s[^>]*>/g)].flatMap(([tag]) => {
    const ids = tag.match(/\saria-labelledby="([^"]*)"/)?.[1];
    if (ids === undefined) return [];
    const name = ids
      .split(" ")
      .map((id) => textOfElement(page, id) ?? "")
      .join(" ");
    return [{ name, pressed: tag.match(/\saria-pressed="([^"]*)"/)?.[1] }];
  });
}

/** The text (still escaped) of each `li.list-sharee`: the addresses the list is shared with. */
export function shareeItems(page: string): string[] {
  return [...page.matchAll(/<li class="list-sharee"[^>]*>([\s\S]*?)<\/li>/g)].map((match) =>
    withoutTags(match[1] ?? ""),
  );
}

export function textFeedback(page: string): string {
  return page.match(/<div id="id_text_feedback" class="invalid-feedback">([\s\S]*?)<\/div>/)?.[1] ?? "";
}

/** The flash's level, message and second line if it has one (both still escaped). */
export function flashAlert(page: string): { level: string; text: string; detail?: string } | undefined {
  const match = page.match(
    /<div class="alert alert-(\w+)" role="alert">([\s\S]*?)(?: <span class="flash-detail[^"]*">([\s\S]*?)<\/span>)?<\/div>/,
  );
  if (!match) return undefined;
  const [, level = "", text = "", detail] = match;
  return detail === undefined ? { level, text } : { level, text, detail };
}

export function listIdFrom(location: string | null): string {
  const id = location?.match(/^\/lists\/([0-9a-f]{32})\/$/)?.[1];
  if (!id) throw new Error(`not a list URL: ${location}`);
  return id;
}
