// Runs the real `superlists` bin as a child process, as an operator would, and
// collects what it said and how it exited.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SUPERLISTS_CLI } from "./server-process.ts";

export type CliResult = { code: number; stdout: string; stderr: string };

export type CliOptions = {
  /** Written to stdin, which is then closed (closed at once without it). */
  input?: string;
  /** Working directory (where `.env` is read from); an empty directory by default. */
  cwd?: string;
};

const TIMEOUT_MS = 30_000;
let emptyDirectory: string | undefined;

/** `superlists ...args` with `env` on top of this process's environment. */
export function runCli(args: string[], env: Record<string, string>, options: CliOptions = {}): Promise<CliResult> {
  // No `.env` in the default directory, so only `env` configures the command.
  emptyDirectory ??= mkdtempSync(join(tmpdir(), "superlists-cli-"));
  const child = spawn(SUPERLISTS_CLI[0] as string, [...SUPERLISTS_CLI.slice(1), ...args], {
    cwd: options.cwd ?? emptyDirectory,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
    timeout: TIMEOUT_MS,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  // A command that exits without reading its input is not a failure of the test.
  child.stdin.on("error", () => {});
  child.stdin.end(options.input);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (signal) reject(new Error(`superlists ${args.join(" ")} was killed (${signal}):\n${stdout}${stderr}`));
      else resolve({ code: code as number, stdout, stderr });
    });
  });
}
