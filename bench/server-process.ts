// A server under test as a child process (`superlists serve`, or the bare
// baseline), its stdout written to a file so the logging costs the server a
// write, as in production, and costs the load generator nothing.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The production bundle (`npm run build`), as the Docker image and staging run it. */
export { BUILT_CLI as CLI } from "../scripts/build.ts";
export const BARE_SERVER = resolve(import.meta.dirname, "bare-server.ts");

const START_TIMEOUT_MS = 30_000;
const POLL_MS = 2;
/** How much of the end of a server's stdout `output()` reads: a loaded server logs tens of MB. */
const OUTPUT_TAIL_BYTES = 1024 * 1024;
/** /proc/PID/stat counts CPU time in clock ticks: USER_HZ, 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

export type ServerProcess = {
  url: string;
  /** Process start to the first successful `GET /`, in milliseconds. */
  startupMs: number;
  /** CPU time the process used until then (less moved by other processes than startupMs). */
  startupCpuMs: number;
  /** Resident set size now, from /proc (Linux). */
  rssBytes: () => number;
  /** CPU time (user + system) the process has used so far, from /proc (Linux). */
  cpuSeconds: () => number;
  /** The end of what the server printed to stdout so far (its first line may be cut). */
  output: () => string;
  /** SIGTERM, then wait for the exit. */
  stop: () => Promise<void>;
};

export type ServerOptions = {
  args: string[];
  env: Record<string, string>;
  logFile: string;
  /**
   * Where the server will listen. Without it the server gets PORT=0 and its URL is
   * read from its "listening" log line; with it (when that line is not logged, e.g.
   * LOG_LEVEL=warn) readiness is polled.
   */
  port?: number;
};

/** A port that was free a moment ago, for servers whose URL cannot be read from their log. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function listeningUrl(output: string): string | undefined {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
      if (entry.msg === "listening" && typeof entry.url === "string") return entry.url;
    } catch {
      // A partial line: the next poll reads it whole.
    }
  }
  return undefined;
}

/** node:http rather than fetch: fetch's first use costs the bench process tens of milliseconds. */
function answers(url: string): Promise<boolean> {
  return new Promise((done) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => done(response.statusCode === 200));
    }).on("error", () => done(false));
  });
}

export async function startServerProcess({ args, env, logFile, port }: ServerOptions): Promise<ServerProcess> {
  const stdout = openSync(logFile, "w");
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: String(port ?? 0) },
    stdio: ["ignore", stdout, "pipe"],
  });
  closeSync(stdout);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const output = () => {
    const start = Math.max(0, statSync(logFile).size - OUTPUT_TAIL_BYTES);
    const fd = openSync(logFile, "r");
    try {
      const buffer = Buffer.alloc(OUTPUT_TAIL_BYTES);
      return buffer.toString("utf8", 0, readSync(fd, buffer, 0, buffer.length, start));
    } finally {
      closeSync(fd);
    }
  };

  const deadline = started + START_TIMEOUT_MS;
  let url = port === undefined ? undefined : `http://127.0.0.1:${port}`;
  let ready = false;
  while (!ready) {
    if (!running || performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server ${args.join(" ")} did not start:\n${output()}\n${stderr}`);
    }
    url ??= listeningUrl(output());
    ready = url !== undefined && (await answers(`${url}/`));
    if (!ready) await sleep(POLL_MS);
  }
  const startupMs = performance.now() - started;
  const cpuSeconds = () => {
    // Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
    const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  };

  return {
    url: url as string,
    startupMs,
    startupCpuMs: cpuSeconds() * 1000,
    rssBytes: () => {
      const kb = readFileSync(`/proc/${child.pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
      if (kb === undefined) throw new Error("no VmRSS for the server process");
      return Number(kb) * 1024;
    },
    cpuSeconds,
    output,
    stop: async () => {
      if (running) child.kill("SIGTERM");
      await exited;
    },
  };
}
