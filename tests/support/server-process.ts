// A real `superlists serve` child process on a free port: what the functional
// tests drive, and what the integration tests signal, log-read and scale out.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

/** `node src/cli/main.ts`, as `npx superlists` runs it. */
export const SUPERLISTS_CLI = [process.execPath, fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))];

const START_TIMEOUT_MS = 30_000;

export type LogLine = { level: number; msg?: string } & Record<string, unknown>;

export type ServerProcess = {
  /** `http://127.0.0.1:PORT`, from the "listening" log line. */
  url: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** The JSON log lines on stdout so far. */
  logLines: () => LogLine[];
  /** Resolves with the next log line (already written or not) that `matches`. */
  waitForLog: (matches: (line: LogLine) => boolean) => Promise<LogLine>;
  /** Resolves with the exit code (or the signal that killed the process). */
  exited: Promise<number | NodeJS.Signals>;
  /** Sends SIGTERM if the process still runs; resolves with how it exited. */
  stop: () => Promise<number | NodeJS.Signals>;
};

function parseLogLine(text: string): LogLine | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && "level" in parsed ? (parsed as LogLine) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `superlists serve` (or `command`: `serve` with options such as `--workers 2`, or any
 * process that logs a "listening" line with its url as serve does) on 127.0.0.1 (on a free port
 * unless `env.PORT` names one) with the given variables (on
 * top of this process's environment); resolves once it is listening, which serve
 * logs at LOG_LEVEL info (the default here).
 */
export async function startServerProcess(
  env: Record<string, string>,
  command: string[] = [...SUPERLISTS_CLI, "serve"],
): Promise<ServerProcess> {
  const child = spawn(command[0] as string, command.slice(1), {
    env: { ...process.env, LOG_LEVEL: "info", ...env, HOST: "127.0.0.1", PORT: env.PORT ?? "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let partialLine = "";
  const lines: LogLine[] = [];
  const waiters: {
    matches: (line: LogLine) => boolean;
    resolve: (line: LogLine) => void;
    reject: (error: Error) => void;
  }[] = [];
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
    const complete = (partialLine + chunk).split("\n");
    partialLine = complete.pop() ?? "";
    for (const text of complete) {
      const line = parseLogLine(text);
      if (!line) continue;
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.matches(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.on("data", (chunk: string) => {
    output += chunk;
  });
  let closed = false;
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    // "close", not "exit": by then stdout is drained, so every log line has been seen.
    child.once("close", (code, signal) => {
      closed = true;
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new Error(`server exited (${code ?? signal}) without the expected log line:\n${output}`));
      }
      resolve(code ?? (signal as NodeJS.Signals));
    });
  });
  const waitForLog = (matches: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve, reject) => {
      const written = lines.find(matches);
      if (written) resolve(written);
      else if (closed) reject(new Error(`server has exited without the expected log line:\n${output}`));
      else waiters.push({ matches, resolve, reject });
    });

  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    waitForLog((line) => line.msg === "listening").then((line) => String(line.url)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), START_TIMEOUT_MS);
    }),
  ])
    .catch((error: unknown) => {
      child.kill("SIGKILL");
      throw error;
    })
    .finally(() => clearTimeout(timer));
  return {
    url,
    child,
    output: () => output,
    logLines: () => [...lines],
    waitForLog,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
