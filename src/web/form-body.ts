// Reads a POSTed HTML form once, for CSRF checking and the route: refuses other
// content types, malformed bodies, file uploads and repeated fields with a 4xx.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";

export type FormFields = Record<string, string>;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

export function formBody(errorPage: ErrorPage) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const contentType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!FORM_TYPES.includes(contentType)) {
      return errorPage(c, 415, "Please submit the form from the page (form data expected).");
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = await c.req.parseBody({ all: true });
    } catch {
      return errorPage(c, 400, "The form data could not be read. Please submit the form again.");
    }
    const fields: FormFields = {};
    for (const [name, value] of Object.entries(parsed)) {
      if (Array.isArray(value)) return errorPage(c, 400, `The field "${name}" was sent more than once.`);
      if (typeof value !== "string") return errorPage(c, 400, `The field "${name}" must be text.`);
      fields[name] = value;
    }
    c.set("form", fields);
    await next();
  });
}
