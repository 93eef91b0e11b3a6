import type { Command } from "commander";
import { flushAllData } from "../../db/flush.ts";
import { capturedMessagesDir, deleteMessageFiles } from "../../email/message-files.ts";
import { CliError } from "../cli-error.ts";
import { commandConfig, refuseInProduction, withDatabase } from "../command-context.ts";
import { confirmed } from "../confirm.ts";

export function registerFlush(program: Command): void {
  program
    .command("flush")
    .description("delete all data (users, lists, sessions, tokens, captured emails), keeping the schema")
    .option("--no-input", "do not ask for confirmation")
    .action(async (options: { input: boolean }) => {
      refuseInProduction("flush");
      const config = commandConfig();
      if (
        options.input &&
        !(await confirmed(`This deletes ALL data in the ${config.database.kind} database. Type 'yes' to continue: `))
      ) {
        throw new CliError("flush cancelled");
      }
      await withDatabase(config, flushAllData);
      // Captured emails are test data too: a test must never read an earlier test's login link.
      const emailDir = capturedMessagesDir(config.email);
      if (emailDir) await deleteMessageFiles(emailDir);
      process.stdout.write("all data deleted\n");
    });
}
