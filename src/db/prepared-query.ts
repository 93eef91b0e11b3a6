// A query that every request runs with different values, built and compiled by
// Kysely once per database and then run with new parameters. Kysely otherwise
// rebuilds and recompiles the same SQL on every call, a share of every page's CPU
// that the bench measures (docs/performance.md, "Hand-made mechanisms"). On PostgreSQL
// each is also prepared once per connection (src/db/named-statements.ts).
import type { Compilable, Kysely } from "kysely";
import { nameStatement } from "./named-statements.ts";
import type { Schema } from "./schema.ts";

/** Stands for the index-th argument while the query is compiled. */
class Argument {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

export function preparedQuery<Args extends unknown[], Row>(
  build: (db: Kysely<Schema>, ...args: Args) => Compilable<Row>,
): (db: Kysely<Schema>, ...args: Args) => Promise<Row[]> {
  const compiled = new WeakMap<Kysely<Schema>, ReturnType<Compilable<Row>["compile"]>>();
  return async (db, ...args) => {
    let query = compiled.get(db);
    if (!query) {
      query = build(db, ...(args.map((_, index) => new Argument(index)) as Args)).compile();
      const bound = new Set(query.parameters.flatMap((value) => (value instanceof Argument ? [value.index] : [])));
      // An argument the SQL does not carry as a parameter (inlined, or inspected by the
      // builder) would be frozen at its first value: refuse such a query outright.
      if (bound.size !== args.length) throw new Error(`prepared query binds ${bound.size} of ${args.length} arguments`);
      nameStatement(query.sql);
      compiled.set(db, query);
    }
    // Values the query builder put in itself (a LIMIT, a constant) stay as they are.
    const parameters = query.parameters.map((value) => (value instanceof Argument ? args[value.index] : value));
    return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  };
}
