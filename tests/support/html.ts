// Small readers of rendered HTML for assertions (no DOM needed for these few shapes).

export function tableRows(page: string): string[] {
  const table = page.match(/<table id="id_list_table"[^>]*>([\s\S]*?)<\/table>/)?.[1] ?? "";
  return [...table.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => match[1] ?? "");
}

export function textFeedback(page: string): string {
  return page.match(/<div id="id_text_feedback" class="invalid-feedback">([\s\S]*?)<\/div>/)?.[1] ?? "";
}

export function flashAlert(page: string): { level: string; text: string } | undefined {
  const match = page.match(/<div class="alert alert-(\w+)" role="alert">([\s\S]*?)<\/div>/);
  return match ? { level: match[1] ?? "", text: match[2] ?? "" } : undefined;
}

export function listIdFrom(location: string | null): string {
  const id = location?.match(/^\/lists\/([0-9a-f]{32})\/$/)?.[1];
  if (!id) throw new Error(`not a list URL: ${location}`);
  return id;
}
