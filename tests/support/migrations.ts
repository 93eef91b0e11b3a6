// The migrations as the app knows them, so tests name the schema version without
// repeating migration names (every new migration would otherwise edit them all).
import { allMigrations } from "../../src/db/migrations/index.ts";

export const MIGRATION_NAMES = Object.keys(allMigrations("sqlite"));
export const LATEST_MIGRATION = MIGRATION_NAMES.at(-1) ?? "";
