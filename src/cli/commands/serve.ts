import { type Command, InvalidArgumentError } from "commander";
import type { WorkerCount } from "../../runtime/workers.ts";
import { runServer } from "../../server.ts";
import { commandConfig } from "../command-context.ts";

function parseWorkers(value: string): WorkerCount {
  if (value === "auto") return "auto";
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    throw new InvalidArgumentError('expected a number of processes from 1 to 64, or "auto" (one per core)');
  }
  return count;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the web server (applies pending migrations first)")
    .option("--workers <N|auto>", "server processes sharing the port", parseWorkers, 1 as WorkerCount)
    .action(async (options: { workers: WorkerCount }) => {
      await runServer(commandConfig(), options.workers);
    });
}
