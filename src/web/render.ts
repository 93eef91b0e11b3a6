// Renders a page inside the layout with the request's user, CSRF token and flash.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app-env.ts";
import { layout, type Page } from "./layout.ts";
import type { StaticAssets } from "./static-assets.ts";

export type RenderPage = (
  c: Context<AppEnv>,
  page: Page,
  status?: ContentfulStatusCode,
) => Response | Promise<Response>;

/** The request's path as sent (still percent-encoded); "/" for a page answering a form. */
function pagePath(c: Context<AppEnv>): string {
  if (c.req.method !== "GET") return "/";
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const query = url.indexOf("?", start);
  return start === -1 ? "/" : url.slice(start, query === -1 ? undefined : query);
}

export function pageRenderer(assets: StaticAssets): RenderPage {
  return (c, page, status = 200) => {
    const context = {
      user: c.get("user") ?? null,
      csrfToken: c.get("csrfToken") ?? "",
      flash: c.get("flash") ?? null,
      assets,
      path: pagePath(c),
    };
    // A primitive string, which @hono/node-server writes straight out (anything else
    // would go through a web stream).
    return c.html(layout(context, page).toString(), status);
  };
}
