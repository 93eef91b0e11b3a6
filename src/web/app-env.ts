// The per-request values middleware hands to routes (Hono's `c.get`).
import type { Logger } from "../logger.ts";
import type { FormFields } from "./form-body.ts";
import type { PreparedHeaders } from "./response-headers.ts";

export type Flash = { level: "success" | "warning"; text: string };

export type AppEnv = {
  Variables: {
    requestId: string;
    /** The request's logger, carrying its id (made on the first call). */
    logger: () => Logger;
    /** Email of the logged-in user, or null. */
    user: string | null;
    csrfToken: string;
    form: FormFields;
    flash: Flash | null;
    /** Headers and cookies for the response (see response-headers.ts). */
    responseHeaders: PreparedHeaders;
  };
};
