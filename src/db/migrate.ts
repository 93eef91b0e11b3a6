// Applies and inspects schema migrations with Kysely's migrator.
import { type MigrationResultSet, Migrator } from "kysely/migration";
import type { Database } from "./database.ts";
import { allMigrations } from "./migrations/index.ts";

function migratorFor({ db, kind }: Database): Migrator {
  const migrations = allMigrations(kind);
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
}

export class MigrationError extends Error {}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migratorFor(database).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error");
    throw new MigrationError(
      `migration ${failed?.migrationName ?? "?"} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}

export type SchemaStatus = {
  /** Name of the newest applied migration, or null on an empty database. */
  version: string | null;
  pending: string[];
};

export async function schemaStatus(database: Database): Promise<SchemaStatus> {
  const migrations = await migratorFor(database).getMigrations();
  const applied = migrations.filter((migration) => migration.executedAt !== undefined);
  return {
    version: applied.at(-1)?.name ?? null,
    pending: migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name),
  };
}
