// A real logger (same options as production) whose JSON lines are kept in memory,
// so tests can assert what an operator would read in the logs.
import { createLogger, type Logger } from "../../src/runtime/logger.ts";

export type LogLine = { level: number; msg?: string; err?: { message?: string; stack?: string } } & Record<
  string,
  unknown
>;

export function capturedLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger(
    { role: "test", logLevel: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}
