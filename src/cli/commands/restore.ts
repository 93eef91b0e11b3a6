import { resolve } from "node:path";
import type { Command } from "commander";
import pino from "pino";
import type { DatabaseTarget } from "../../config.ts";
import { BackupError } from "../../db/backup-error.ts";
import { checkPostgresBackup, restorePostgres } from "../../db/postgres-backup.ts";
import { checkSqliteBackup, restoreSqlite } from "../../db/sqlite-backup.ts";
import { createLogger } from "../../runtime/logger.ts";
import { CliError } from "../cli-error.ts";
import { commandConfig } from "../command-context.ts";
import { confirmed } from "../confirm.ts";

/** The database as an operator names it, without its password. */
function nameOf(target: DatabaseTarget): string {
  if (target.kind === "sqlite") return `SQLite database ${target.path}`;
  const { hostname, port, pathname } = new URL(target.url);
  return `PostgreSQL database ${pathname.slice(1)} on ${hostname}${port ? `:${port}` : ""}`;
}

export function registerRestore(program: Command): void {
  program
    .command("restore")
    .argument("<file>", "a file written by `superlists backup`")
    .description("replace ALL data in the database with a backup (allowed in production; stop the servers first)")
    .option("--no-input", "do not ask for confirmation")
    .action(async (file: string, options: { input: boolean }) => {
      const config = commandConfig();
      const { database } = config;
      const backup = resolve(file);
      const where = nameOf(database);
      try {
        // A bad file is refused before anyone is asked to confirm anything.
        if (database.kind === "sqlite") checkSqliteBackup(backup);
        else await checkPostgresBackup(backup);
        if (
          options.input &&
          !(await confirmed(`This replaces ALL data in the ${where} with ${backup}. Type 'yes' to continue: `))
        ) {
          throw new CliError("restore cancelled");
        }
        if (database.kind === "sqlite") restoreSqlite(backup, database.path);
        else await restorePostgres(backup, database.url);
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message);
        throw error;
      }
      // On stderr, as JSON like the server's logs: an audit line that all data was replaced.
      createLogger(config, pino.destination({ dest: 2, sync: true })).warn(
        { backup, database: where },
        "database restored from a backup: all previous data replaced",
      );
      process.stdout.write(`restored ${backup} into the ${where}\n`);
    });
}
