// The process-wide structured logger: JSON lines on stdout, short and pretty in a
// development terminal (development-log.ts).
import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "../config.ts";
import { developmentLog } from "./development-log.ts";

export type { Logger };

/** How long a line may wait in pino's buffer before it is written. */
export const LOG_FLUSH_MS = 250;
/** Lines are written once this many characters of them are waiting (or every LOG_FLUSH_MS). */
const LOG_BUFFER_CHARS = 4096;
const WARN = 40;

const REDACT_SECRETS: pino.LoggerOptions["redact"] = {
  paths: ["password", "*.password", "secretKey", "*.secretKey", "headers.cookie", "*.headers.cookie"],
  censor: "[redacted]",
};

/** Standard output, buffered: a write per line would be a system call per request. */
function bufferedStdout(): DestinationStream & { flush(): void } {
  return pino.destination({ dest: 1, minLength: LOG_BUFFER_CHARS, periodicFlush: LOG_FLUSH_MS });
}

/**
 * Lines wait in pino's buffer, at most LOG_FLUSH_MS; a warning or an error sends what
 * is waiting at once, and pino writes the buffer out when the process exits. Tests pass
 * their own `destination` to read the lines back; the options are the same.
 */
export function createLogger(config: Pick<Config, "role" | "logLevel">, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { role: config.role },
    // Never let a secret reach the logs, whatever object gets logged.
    redact: REDACT_SECRETS,
  };
  if (!destination && config.role === "development" && process.stdout.isTTY) {
    return pino(options, developmentLog(process.stdout));
  }
  const stream = destination ?? bufferedStdout();
  return pino(
    {
      ...options,
      hooks: {
        logMethod(args, method, level) {
          method.apply(this, args);
          if (level >= WARN && "flush" in stream && typeof stream.flush === "function") stream.flush();
        },
      },
    },
    stream,
  );
}
