// The types every part of the web layer shares: what the steps before the routes put
// on a request (Hono's `c.get`), and the shape of a step. This file imports nothing of
// the app's, so that everything can import it.
import type { Context } from "hono";
import type { Logger } from "../runtime/logger.ts";

/** What the flash's "Undo" button posts: a form field `undo` carrying the token, to `action`. */
export type FlashUndo = { action: string; token: string };
export type Flash = {
  level: "success" | "warning";
  text: string;
  /** A second line, after the message (e.g. the address a login link went to). */
  detail?: string;
  undo?: FlashUndo;
  /** What was typed into the login form when it was refused: put back in it. */
  loginEmail?: string;
};

/** A POSTed form's fields, each sent once. */
export type FormFields = Record<string, string>;

export type AppEnv = {
  Variables: {
    requestId: string;
    /** The request's logger, carrying its id (made on the first call). */
    logger: () => Logger;
    /** Scheme, host and port the browser used ("https://example.com"), proxy headers applied. */
    origin: string;
    /** The client's IP address, normalized (client-address.ts), or "unknown" (worked out on the first call). */
    clientIp: () => string;
    /** Email of the logged-in user, or null. */
    user: string | null;
    csrfToken: string;
    form: FormFields;
    flash: Flash | null;
  };
};

/**
 * One step of the pipeline before the routes (src/app.ts): looks at the request, may
 * put values on it, and returns the response to answer with instead of the route, or
 * nothing to go on.
 */
export type RequestStep = (c: Context<AppEnv>) => Response | undefined | Promise<Response | undefined>;
