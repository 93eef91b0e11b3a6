import type { Command } from "commander";
import { purgeExpired } from "../../retention/purge-expired.ts";
import { commandConfig, withDatabase } from "../command-context.ts";

export function registerCleanup(program: Command): void {
  program
    .command("cleanup")
    .description("delete expired sessions and login tokens (also the rate-limit records); the server does it hourly")
    .action(async () => {
      const purged = await withDatabase(commandConfig(), (database) => purgeExpired(database.db));
      process.stdout.write(
        `deleted ${purged.sessions} expired sessions and ${purged.loginTokens} expired login tokens\n`,
      );
    });
}
