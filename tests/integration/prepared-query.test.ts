// Queries compiled once and run with new values (src/db/prepared-query.ts), on the
// test database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { preparedQuery } from "../../src/db/prepared-query.ts";
import { type MigratedTestDatabase, openMigratedTestDatabase } from "../support/test-database.ts";

let testDatabase: MigratedTestDatabase;
let database: Database;
beforeAll(async () => {
  testDatabase = await openMigratedTestDatabase();
  database = testDatabase.database;
  await database.db
    .insertInto("users")
    .values(["a@example.com", "b@example.com", "c@example.com"].map((email, i) => ({ email, created_at: i })))
    .execute();
});
afterAll(() => testDatabase.close());

test("each call runs with its own values, whatever the order of the arguments in the SQL", async () => {
  // The arguments appear in the SQL in the opposite order to the function's, and the
  // builder adds a value of its own (the LIMIT).
  const usersBetween = preparedQuery((db, before: number, after: number) =>
    db
      .selectFrom("users")
      .select("email")
      .where("created_at", ">", after)
      .where("created_at", "<", before)
      .orderBy("email")
      .limit(5),
  );
  expect(await usersBetween(database.db, 3, -1)).toEqual([
    { email: "a@example.com" },
    { email: "b@example.com" },
    { email: "c@example.com" },
  ]);
  expect(await usersBetween(database.db, 2, 0)).toEqual([{ email: "b@example.com" }]);
  expect(await usersBetween(database.db, 0, 2)).toEqual([]);
});

test("a query that does not pass an argument to the database as a parameter is refused", async () => {
  const inlined = preparedQuery((db, email: string) =>
    db
      .selectFrom("users")
      .select("email")
      .where("email", "=", sql.lit(String(email))),
  );
  await expect(inlined(database.db, "a@example.com")).rejects.toThrow("prepared query binds 0 of 1 arguments");
});

test.runIf(process.env.TEST_DATABASE_URL?.startsWith("postgres"))(
  "on PostgreSQL a prepared query is prepared once on its connection, and still answers after a migration adds a column",
  async () => {
    const userEmail = preparedQuery((db, email: string) =>
      db.selectFrom("users").select("email").where("email", "=", email),
    );
    await database.db.connection().execute(async (connection) => {
      expect(await userEmail(connection, "a@example.com")).toEqual([{ email: "a@example.com" }]);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
        connection,
      );
      expect(prepared.rows.map((row) => row.statement)).toContainEqual(expect.stringContaining('from "users"'));
      await sql`alter table users add column nickname text`.execute(connection);
      try {
        expect(await userEmail(connection, "b@example.com")).toEqual([{ email: "b@example.com" }]);
      } finally {
        await sql`alter table users drop column nickname`.execute(connection);
      }
    });
  },
);
