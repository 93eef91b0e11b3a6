// A server under test as a child process (`superlists serve`, or the bare
// baseline), its stdout written to a file so the logging costs the server a
// write, as in production, and costs the load generator nothing.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { get } from "node:http";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The production bundle (`npm run build`), as the Docker image and staging run it. */
export { BUILT_CLI as CLI } from "../scripts/build.ts";
export const BARE_SERVER = resolve(import.meta.dirname, "bare-server.ts");

/** Where the servers run and where the load generator (the bench process) runs, when pinned. */
export const SERVER_CORE = 0;
export const LOAD_GENERATOR_CORE = 1;

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
  /** The program to run: Node (this process's) unless given. */
  command?: string;
  args: string[];
  env: Record<string, string>;
  logFile: string;
  /** Pins the server (all its threads and processes) to this core. */
  core?: number;
};

/** Pins this process, all its threads included, to the load generator's core. */
export function pinLoadGenerator(): void {
  execFileSync("taskset", ["--all-tasks", "--cpu-list", "--pid", String(LOAD_GENERATOR_CORE), String(process.pid)], {
    stdio: "ignore",
  });
}

/** The process and its children (workers): /proc lists a process's children per thread. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    // Gone already.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** A /proc file of the process, or "" once it has exited. */
function procFile(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return "";
  }
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

export async function startServerProcess({
  command = process.execPath,
  args,
  env,
  logFile,
  core,
}: ServerOptions): Promise<ServerProcess> {
  const stdout = openSync(logFile, "w");
  const started = performance.now();
  // taskset execs the command: the child's pid is the server's.
  const [program, ...programArgs] =
    core === undefined ? [command, ...args] : ["taskset", "--cpu-list", String(core), command, ...args];
  const child = spawn(program as string, programArgs, {
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: "0" },
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
  let url: string | undefined;
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
  const pid = child.pid as number;
  const cpuSeconds = () =>
    processTree(pid).reduce((sum, each) => {
      // Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
      const stat = procFile(each, "stat");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return sum + (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / CLOCK_TICKS_PER_SECOND;
    }, 0);

  return {
    url: url as string,
    startupMs,
    rssBytes: () =>
      processTree(pid).reduce(
        (sum, each) => sum + Number(procFile(each, "status").match(/^VmRSS:\s+(\d+) kB$/m)?.[1] ?? 0) * 1024,
        0,
      ),
    cpuSeconds,
    output,
    stop: async () => {
      if (running) child.kill("SIGTERM");
      await exited;
    },
  };
}
