// Recognises database errors the app handles on purpose, in either dialect.

/** A UNIQUE or PRIMARY KEY constraint refused the row (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errcode, message } = error as { code?: unknown; errcode?: unknown; message?: unknown };
  if (code === "23505") return true;
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
  if (errcode === 2067 || errcode === 1555) return true;
  return typeof message === "string" && message.includes("UNIQUE constraint failed");
}

/**
 * Another connection held a lock for longer than the database waits for it: the
 * request may well succeed if the user tries again shortly.
 */
export function isDatabaseBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  // SQLITE_BUSY (5) and SQLITE_LOCKED (6), whatever their extended code.
  if (typeof errcode === "number" && [5, 6].includes(errcode & 0xff)) return true;
  // PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
  return code === "55P03" || code === "40001" || code === "40P01";
}
