import { resolve } from "node:path";
import type { Command } from "commander";
import { checkBackupDestination } from "../../db/backup-destination.ts";
import { BackupError } from "../../db/backup-error.ts";
import { backupPostgres } from "../../db/postgres-backup.ts";
import { backupSqlite } from "../../db/sqlite-backup.ts";
import { CliError } from "../cli-error.ts";
import { commandConfig } from "../command-context.ts";

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .argument("<file>", "where to write the backup (never the live database)")
    .option("--force", "replace the file if it exists")
    .description(
      "write a consistent copy of the database, safe while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump)",
    )
    .action(async (file: string, options: { force?: boolean }) => {
      const { database } = commandConfig();
      const destination = resolve(file);
      try {
        checkBackupDestination(destination, {
          force: options.force === true,
          sqlitePath: database.kind === "sqlite" ? database.path : undefined,
        });
        if (database.kind === "sqlite") {
          backupSqlite(database.path, destination);
          process.stdout.write(`backup of the SQLite database written to ${destination} (VACUUM INTO)\n`);
        } else {
          await backupPostgres(database.url, destination);
          process.stdout.write(
            `backup of the PostgreSQL database written to ${destination} (pg_dump, custom format)\n`,
          );
        }
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message);
        throw error;
      }
    });
}
