import type { Command } from "commander";
import { migrateToLatest } from "../../db/migrate.ts";
import { commandConfig, withDatabase } from "../command-context.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations")
    .action(async () => {
      const applied = await withDatabase(commandConfig(), migrateToLatest);
      process.stdout.write(applied.length > 0 ? `applied: ${applied.join(", ")}\n` : "no migrations to apply\n");
    });
}
