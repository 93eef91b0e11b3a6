// The per-request values middleware hands to routes (Hono's `c.var`).
import type { Logger } from "../logger.ts";
import type { FormFields } from "./form-body.ts";

export type Flash = { level: "success" | "warning"; text: string };

export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Email of the logged-in user, or null. */
    user: string | null;
    csrfToken: string;
    form: FormFields;
    flash: Flash | null;
  };
};
