// The process-wide structured logger: JSON lines on stdout, pretty in development.
import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.ts";

export type { Logger };

/** How long a request line may wait before it is written to stdout. */
export const LOG_FLUSH_MS = 250;
/** Request lines are written once this many characters of them are waiting (or every LOG_FLUSH_MS). */
const LOG_BATCH_CHARS = 4096;

type Stdout = DestinationStream & { flushSync(): void };

// A write per request line cost GET / about a sixth of its CPU: each goes through
// libuv's thread pool, even to /dev/null. Request lines therefore wait here and go
// out together (docs/performance.md, change 19); any other line first sends the
// waiting ones, so stdout keeps the order in which lines were logged.
class RequestLineBatch implements DestinationStream {
  #waiting = "";
  #started = false;
  readonly stdout: Stdout;

  constructor(stdout: Stdout) {
    this.stdout = stdout;
  }

  write(line: string): void {
    if (!this.#started) {
      this.#started = true;
      sendPeriodically(this);
    }
    this.#waiting += line;
    if (this.#waiting.length >= LOG_BATCH_CHARS) this.send();
  }

  send(): void {
    if (this.#waiting === "") return;
    this.stdout.write(this.#waiting);
    this.#waiting = "";
  }
}

/** Batches that have had a line: sent every LOG_FLUSH_MS by one timer, and at exit. */
const startedBatches = new Set<RequestLineBatch>();

function sendPeriodically(batch: RequestLineBatch): void {
  if (startedBatches.size === 0) {
    setInterval(() => {
      for (const started of startedBatches) started.send();
    }, LOG_FLUSH_MS).unref();
    // pino writes out its own buffer at exit too, but possibly before this runs.
    process.once("exit", () => {
      for (const started of startedBatches) {
        started.send();
        started.stdout.flushSync();
      }
    });
  }
  startedBatches.add(batch);
}

/** Loggers writing to stdout, and the batch their request lines wait in. */
const requestLineBatches = new WeakMap<Logger, RequestLineBatch>();

const REDACT_SECRETS: pino.LoggerOptions["redact"] = {
  paths: ["password", "*.password", "secretKey", "*.secretKey", "headers.cookie", "*.headers.cookie"],
  censor: "[redacted]",
};

/** `destination` replaces stdout (tests read the lines back). */
export function createLogger(config: Pick<Config, "role" | "logLevel">, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { role: config.role },
    // Never let a secret reach the logs, whatever object gets logged.
    redact: REDACT_SECRETS,
  };
  if (destination) return pino(options, destination);
  if (config.role === "development" && process.stdout.isTTY) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true } } });
  }
  // Written synchronously, as Node writes to a pipe or file on stdout itself: an asynchronous
  // write goes through libuv's thread pool, and waking a pool thread per batch cost more than
  // the write (docs/performance.md, change 25). A stdout nobody reads now makes the server
  // wait for it, where lines used to pile up in memory.
  const stdout = pino.destination({ dest: 1, sync: true });
  const batch = new RequestLineBatch(stdout);
  const logger = pino(
    {
      ...options,
      hooks: {
        logMethod(args, method) {
          batch.send();
          method.apply(this, args);
        },
      },
    },
    stdout,
  );
  requestLineBatches.set(logger, batch);
  return logger;
}

/**
 * The logger of the one line per request. Its fields are fixed and hold no secret, so
 * it skips the wildcard redaction (which doubled the line's cost); on stdout its lines
 * are written in batches, at most LOG_FLUSH_MS late.
 */
export function requestLineLogger(logger: Logger): Logger {
  const batch = requestLineBatches.get(logger);
  if (!batch) return logger.child({}, { redact: [] });
  return pino({ level: logger.level, base: logger.bindings() }, batch);
}
