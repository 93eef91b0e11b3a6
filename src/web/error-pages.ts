// The 4xx/5xx pages: styled like the rest of the site, with a clear message and
// never a stack trace.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app-env.ts";
import { html } from "./html.ts";
import type { RenderPage } from "./render.ts";

const TITLES: Partial<Record<number, string>> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Request Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Server Error",
  503: "Service Unavailable",
};

export type ErrorPage = (
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
) => Response | Promise<Response>;

export function errorPageRenderer(render: RenderPage): ErrorPage {
  return (c, status, message) => {
    const title = `${TITLES[status] ?? "Error"} (${status})`;
    return render(
      c,
      {
        title: `${title} - Superlists`,
        header: title,
        headerSize: "display-5",
        body: html`<p class="lead text-center">${message}</p>
          <p class="text-center"><a href="/">Go to the home page</a></p>`,
      },
      status,
    );
  };
}
