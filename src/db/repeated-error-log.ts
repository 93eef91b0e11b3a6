// Logs an error the first time it happens in an interval and only counts its repeats:
// a failing disk or database would otherwise write the same stack trace for every
// request (over a thousand lines a second), drowning everything else in the logs.
import type { Logger } from "../runtime/logger.ts";

const DEFAULT_INTERVAL_MS = 10_000;

type Repeats = { logger: Logger; message: string; count: number };

export class RepeatedErrorLog {
  readonly #intervalMs: number;
  readonly #repeats = new Map<string, Repeats>();
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs = DEFAULT_INTERVAL_MS) {
    this.#intervalMs = intervalMs;
  }

  /**
   * Logs `fields` and `message` at warn unless an error with the same `key` was logged
   * in this interval; then it is counted, and the count logged once the interval ends.
   */
  warn(logger: Logger, key: string, fields: Record<string, unknown>, message: string): void {
    const repeats = this.#repeats.get(key);
    if (repeats) {
      repeats.count++;
      return;
    }
    this.#repeats.set(key, { logger, message, count: 0 });
    logger.warn(fields, message);
    this.#timer ??= setTimeout(() => this.#endInterval(), this.#intervalMs).unref();
  }

  #endInterval(): void {
    this.#timer = undefined;
    const ended = [...this.#repeats.values()];
    this.#repeats.clear();
    for (const { logger, message, count } of ended) {
      if (count > 0)
        logger.warn({ repeated: count, intervalSeconds: this.#intervalMs / 1000 }, `${message} (repeated)`);
    }
  }
}
