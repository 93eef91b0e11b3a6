import type { Command } from "commander";
import { purgeExpired } from "../../retention/purge-expired.ts";
import { commandConfig, withDatabase } from "../command-context.ts";

export function registerCleanup(program: Command): void {
  program
    .command("cleanup")
    .description(
      "delete expired sessions, login tokens, rate-limit records and removed items past undo; the server does it hourly",
    )
    .action(async () => {
      const purged = await withDatabase(commandConfig(), (database) => purgeExpired(database.db));
      process.stdout.write(
        `deleted ${purged.sessions} expired sessions, ${purged.loginTokens} expired login tokens, ` +
          `${purged.shareEmails} old share-email records and ${purged.removedItems} removed items past undo\n`,
      );
    });
}
