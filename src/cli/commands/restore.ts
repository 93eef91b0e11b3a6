import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import pino from "pino";
import type { Config, DatabaseTarget } from "../../config.ts";
import { BackupError } from "../../db/backup-error.ts";
import { checkPostgresBackup, restorePostgres } from "../../db/postgres-backup.ts";
import { type ServerHeartbeat, serversUsing } from "../../db/server-heartbeats.ts";
import { checkSqliteBackup, restoreSqlite } from "../../db/sqlite-backup.ts";
import { createLogger } from "../../runtime/logger.ts";
import { CliError } from "../cli-error.ts";
import { commandConfig, withDatabase } from "../command-context.ts";
import { confirmed } from "../confirm.ts";

/** The database as an operator names it, without its password. */
function nameOf(target: DatabaseTarget): string {
  if (target.kind === "sqlite") return `SQLite database ${target.path}`;
  const { hostname, port, pathname } = new URL(target.url);
  return `PostgreSQL database ${pathname.slice(1)} on ${hostname}${port ? `:${port}` : ""}`;
}

function whoIsServing(servers: ServerHeartbeat[], now: number): string {
  const each = servers
    .map(
      (server) =>
        `pid ${server.pid} on ${server.host}, seen ${Math.max(0, Math.round((now - server.seenAt) / 1000))}s ago`,
    )
    .join("; ");
  return servers.length === 1 ? `a server (${each})` : `${servers.length} servers (${each})`;
}

/**
 * A running server would keep serving (on SQLite, the replaced file it still holds open)
 * and acknowledge writes the restore loses; servers announce themselves in the database.
 */
async function refuseWhileServed(config: Config, where: string): Promise<void> {
  const { database: target } = config;
  // A missing SQLite file has no servers (and opening it would create it).
  if (target.kind === "sqlite" && !existsSync(target.path)) return;
  const now = Date.now();
  const servers = await withDatabase(config, (database) => serversUsing(database, now));
  if (servers.length > 0) {
    throw new CliError(
      `the ${where} is in use by ${whoIsServing(servers, now)}: stop the servers first, or pass --force`,
    );
  }
}

export function registerRestore(program: Command): void {
  program
    .command("restore")
    .argument("<file>", "a file written by `superlists backup`")
    .description("replace ALL data in the database with a backup (allowed in production; stop the servers first)")
    .option("--no-input", "do not ask for confirmation")
    .option("--force", "restore even while servers use the database (they would lose writes they acknowledge)")
    .action(async (file: string, options: { input: boolean; force?: boolean }) => {
      const config = commandConfig();
      const { database } = config;
      const backup = resolve(file);
      const where = nameOf(database);
      try {
        // A bad file is refused before anyone is asked to confirm anything.
        if (database.kind === "sqlite") checkSqliteBackup(backup);
        else await checkPostgresBackup(backup);
        if (!options.force) await refuseWhileServed(config, where);
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
