import type { Command } from "commander";
import { schemaStatus } from "../../db/migrate.ts";
import { commandConfig, withDatabase } from "../command-context.ts";

export function registerInfo(program: Command): void {
  program
    .command("info")
    .description(
      "print the role, database kind, schema version, session cookie name and login link lifetime as one JSON line",
    )
    .action(async () => {
      const config = commandConfig();
      const status = await withDatabase(config, schemaStatus);
      process.stdout.write(
        `${JSON.stringify({
          role: config.role,
          database: config.database.kind,
          schemaVersion: status.version,
          pendingMigrations: status.pending,
          sessionCookie: config.sessionCookieName,
          // The functional tests check that the login email states this lifetime, on any target.
          loginTokenMaxAgeSeconds: config.loginTokenMaxAgeSeconds,
        })}\n`,
      );
    });
}
