// The process-wide structured logger: JSON lines on stdout, pretty in development.
import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.ts";

export type { Logger };

/** `destination` replaces stdout (tests read the lines back). */
export function createLogger(config: Pick<Config, "role" | "logLevel">, destination?: DestinationStream): Logger {
  const pretty = !destination && config.role === "development" && process.stdout.isTTY;
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { role: config.role },
    // Never let a secret reach the logs, whatever object gets logged.
    redact: {
      paths: ["password", "*.password", "secretKey", "*.secretKey", "headers.cookie", "*.headers.cookie"],
      censor: "[redacted]",
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
