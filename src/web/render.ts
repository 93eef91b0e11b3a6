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

export function pageRenderer(assets: StaticAssets): RenderPage {
  return (c, page, status = 200) =>
    c.html(
      layout({ user: c.var.user ?? null, csrfToken: c.var.csrfToken ?? "", flash: c.var.flash ?? null, assets }, page),
      status,
    );
}
