// Runs a transport's command line and fails loudly with everything the target said.
import { execFile } from "node:child_process";
import type { CommandLine } from "./transports.ts";

export type CommandResult = { stdout: string; stderr: string };

const TIMEOUT_MS = 60_000;

export function runCommandLine(line: CommandLine): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      line.file,
      line.args,
      { env: { ...process.env, ...line.env }, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const shown = [line.file, ...line.args].join(" ");
          reject(
            new Error(
              `target command failed (exit ${error.code ?? error.signal}): ${shown}\n--- stdout ---\n${stdout}--- stderr ---\n${stderr}`,
            ),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
