import type { Command } from "commander";
import { runServer } from "../../server.ts";
import { commandConfig } from "../command-context.ts";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the web server (applies pending migrations first)")
    .action(async () => {
      await runServer(commandConfig());
    });
}
