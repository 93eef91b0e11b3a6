// The log as a developer reads it in a terminal (`npm run dev`): where to open the app,
// one short line per request ("GET /lists/abc/ 200 3 ms"), and every other line as
// pino-pretty shows it. Production's JSON lines are untouched: this only reformats them.
import { createRequire } from "node:module";
import type { DestinationStream } from "pino";
import type PinoPretty from "pino-pretty";

type LogLine = Record<string, unknown>;

// Loaded only here: a production process never pays for pino-pretty at start-up.
const loadPackage = createRequire(import.meta.url);

function shortLine(line: LogLine): LogLine {
  const { level, time, method, path, status, durationMs, msg, url } = line;
  if (typeof method === "string" && typeof durationMs === "number") {
    const duration = durationMs < 1 ? "<1" : String(Math.round(durationMs));
    return { level, time, msg: `${method} ${path} ${status} ${duration} ms` };
  }
  if (msg === "listening" && typeof url === "string") {
    return { level, time, msg: `Superlists is running at ${url}/ — Ctrl-C to stop` };
  }
  return line;
}

/** Writes each of pino's JSON lines to `output` in the developer's format. */
export function developmentLog(output: { write(text: string): unknown }): DestinationStream {
  const { prettyFactory } = loadPackage("pino-pretty") as typeof PinoPretty;
  const prettify = prettyFactory({ colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,role" });
  return {
    write(json: string) {
      output.write(prettify(shortLine(JSON.parse(json) as LogLine)));
    },
  };
}
