// Purges expired rows automatically, about once an hour per server process. The first
// purge comes at a random moment within the first interval and every interval is
// jittered, so processes started together (a deploy, --workers) do not purge in step;
// several purging at once is harmless anyway (see purge-expired.ts).

import type { Database } from "../db/database.ts";
import { loggableDatabaseError } from "../db/errors.ts";
import type { Logger } from "../runtime/logger.ts";
import { purgeExpired } from "./purge-expired.ts";

export const PURGE_INTERVAL_MS = 3600_000;
/** Each interval lasts between 90 % and 100 % of PURGE_INTERVAL_MS: at most hourly, never more often. */
const JITTER = 0.1;

/** Starts the periodic purge; returns a function that stops it. */
export function schedulePurge(database: Database, logger: Logger, random: () => number = Math.random): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = (delayMs: number) => {
    timer = setTimeout(run, delayMs).unref();
  };
  const run = async () => {
    try {
      const purged = await purgeExpired(database.db);
      if (Object.values(purged).some((count) => count > 0)) logger.info({ purged }, "expired rows purged");
    } catch (error) {
      // The database may be busy or away: the next interval tries again.
      logger.warn({ err: loggableDatabaseError(error) }, "purging expired rows failed; will retry");
    }
    if (!stopped) next(PURGE_INTERVAL_MS * (1 - JITTER * random()));
  };
  next(PURGE_INTERVAL_MS * random());
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
