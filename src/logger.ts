// The process-wide structured logger: JSON lines on stdout, pretty in development.
import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";

export type { Logger };

export function createLogger(config: Pick<Config, "role" | "logLevel">): Logger {
  const pretty = config.role === "development" && process.stdout.isTTY;
  return pino({
    level: config.logLevel,
    base: { role: config.role },
    // Never let a secret reach the logs, whatever object gets logged.
    redact: {
      paths: ["password", "*.password", "secretKey", "*.secretKey", "headers.cookie", "*.headers.cookie"],
      censor: "[redacted]",
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}
