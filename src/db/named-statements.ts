// The SQL of the queries every request runs (src/db/prepared-query.ts), each with the
// name PostgreSQL knows it by once prepared on a connection. A named statement is parsed
// and planned once per connection instead of on every execution (docs/performance.md,
// "Hand-made mechanisms").
// Only these queries are named: their texts are few and fixed, and they list their
// columns, so a migration cannot change what a statement prepared before it returns.
const names = new Map<string, string>();

export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `superlists_${names.size + 1}`);
}

/** The statement's name if it is one of the prepared queries; otherwise it runs unnamed. */
export function statementName(sql: string): string | undefined {
  return names.get(sql);
}
