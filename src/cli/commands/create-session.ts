import type { Command } from "commander";
import { createSession } from "../../accounts/sessions.ts";
import { normalizeEmail } from "../../email/email-address.ts";
import { CliError, EXIT } from "../cli-error.ts";
import { commandConfig, refuseInProduction, withDatabase } from "../command-context.ts";

// On staging, sessions may only be made for reserved test addresses, so a test
// run can never act as a real person who also uses staging.
const TEST_DOMAIN = "@example.com";

export function registerCreateSession(program: Command): void {
  program
    .command("create-session")
    .description("create the user if needed and a logged-in session; print only the session key")
    .argument("<email>", "the user's email address")
    .action(async (input: string) => {
      refuseInProduction("create-session");
      const config = commandConfig();
      const address = normalizeEmail(input);
      if (!address.ok) throw new CliError(`not a valid email address: ${input}`, EXIT.usage);
      if (config.role === "staging" && !address.email.endsWith(TEST_DOMAIN)) {
        throw new CliError(
          `on staging, create-session only accepts test addresses ending in ${TEST_DOMAIN}`,
          EXIT.usage,
        );
      }
      const key = await withDatabase(config, ({ db }) => createSession(db, address.email, config.sessionMaxAgeSeconds));
      process.stdout.write(`${key}\n`);
    });
}
