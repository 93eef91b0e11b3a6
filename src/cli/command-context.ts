// What every command shares with the server: the same configuration loading
// (.env, then environment variables), and a database opened on demand.
import { type Config, ConfigError, loadConfig, loadDotEnv } from "../config.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { CliError, EXIT } from "./cli-error.ts";

export function commandConfig(): Config {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

/** Runs `work` with an open database and always closes it. */
export async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(config.database, { poolSize: 2 });
  try {
    return await work(database);
  } finally {
    await database.db.destroy();
  }
}

/**
 * Commands that can wipe data or impersonate users never run against production,
 * whatever flags are given: there is deliberately no override.
 */
export function refuseInProduction(command: string): void {
  loadDotEnv();
  if (process.env.SUPERLISTS_ENV === "production") {
    throw new CliError(`${command} refuses to run when SUPERLISTS_ENV=production`, EXIT.refusedInProduction);
  }
}
