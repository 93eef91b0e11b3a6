// Refuses a POSTed body over the form size limit with a 413, before it is read.
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";

export function formSizeLimit(maxBytes: number, errorPage: ErrorPage) {
  const tooLarge = (c: Context<AppEnv>) => errorPage(c, 413, `The form is too large (at most ${maxBytes / 1024} KB).`);
  const countWhileReading = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware<AppEnv>(async (c, next) => {
    // A declared length is all there is to check (Node's parser holds the client to it),
    // so only a chunked body goes through bodyLimit, which has to turn the request into
    // a web stream: that alone costs a POST a sixth of its time.
    const declared = c.req.header("Content-Length");
    if (declared === undefined || c.req.header("Transfer-Encoding") !== undefined) return countWhileReading(c, next);
    if (Number(declared) > maxBytes) return tooLarge(c);
    await next();
  });
}
