// Graceful shutdown of one server process on SIGTERM/SIGINT: exit 0 once in-flight
// requests are answered and the database is closed, 1 if that fails or takes too long.
import type { Logger } from "./logger.ts";

export const SHUTDOWN_TIMEOUT_MS = 10_000;

export function shutDownOnSignals(server: { close: () => Promise<void> }, logger: Logger): void {
  let started = false;
  const shutdown = (signal: string) => {
    // A terminal's Ctrl-C reaches a worker twice: from the terminal and from its primary.
    if (started) return;
    started = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    setTimeout(() => {
      logger.error("in-flight requests did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    server.close().then(
      () => {
        logger.info("shut down cleanly");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
