// Login links are bearer tokens: in production mode they may only go to the user's
// mailbox. The console backend would print them to the logs, and the memory backend
// would keep them in the process where no user ever sees them.
import type { Config } from "../config.ts";

/** Why this configuration's email backend is refused, or undefined if it is allowed. */
export function refusedEmailBackend(config: Pick<Config, "productionMode" | "role" | "email">): string | undefined {
  const { productionMode, role, email } = config;
  if (!productionMode || (email.backend !== "console" && email.backend !== "memory")) return undefined;
  const where = email.backend === "console" ? "print login links to the logs" : "keep login emails in memory, unsent";
  return `EMAIL_BACKEND=${email.backend} is refused when SUPERLISTS_ENV=${role}: it would ${where} (use smtp, or file)`;
}
