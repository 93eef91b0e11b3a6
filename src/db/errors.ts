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

/** The pool's queue of requests waiting for a connection is full: more would only wait longer. */
export class PoolQueueFullError extends Error {
  constructor(waiting: number) {
    super(`${waiting} requests already wait for a database connection`);
    this.name = "PoolQueueFullError";
  }
}

// PostgreSQL: admin_shutdown (pg_terminate_backend, a restart), crash_shutdown,
// cannot_connect_now, query_canceled (statement_timeout), too_many_connections.
const PG_UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "57014", "53300"]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);
// What pg and pg-pool say when a connection ends under them or a timeout gives up waiting.
const PG_CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|not queryable/i;
// PostgreSQL: disk_full, io_error, read_only_sql_transaction (a standby after a failover).
const PG_STORAGE_CODES = new Set(["53100", "58030", "25006"]);
// SQLITE_READONLY (8), SQLITE_IOERR (10), SQLITE_FULL (13), SQLITE_CANTOPEN (14).
const SQLITE_STORAGE_CODES = new Set([8, 10, 13, 14]);

function fieldsOf(error: unknown): { code?: unknown; errcode?: unknown; message?: unknown; cause?: unknown } {
  return typeof error === "object" && error !== null ? error : {};
}

/**
 * The storage under the database refuses to write: a read-only or full file system, a
 * read-only database file, an I/O error. Writes fail until an operator acts; reads may work.
 */
export function isStorageFailure(error: unknown): boolean {
  const { code, errcode } = fieldsOf(error);
  if (typeof errcode === "number" && SQLITE_STORAGE_CODES.has(errcode & 0xff)) return true;
  return typeof code === "string" && PG_STORAGE_CODES.has(code);
}

/**
 * The database cannot answer right now (connection ended or refused, a timeout, the
 * pool's queue full, its storage failing): the request may succeed if tried again later,
 * so the user gets a 503 with Retry-After rather than a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof PoolQueueFullError || isStorageFailure(error)) return true;
  const { code, message, cause } = fieldsOf(error);
  if (
    typeof code === "string" &&
    (PG_UNAVAILABLE_CODES.has(code) || code.startsWith("08") || NETWORK_CODES.has(code))
  ) {
    return true;
  }
  if (typeof message === "string" && PG_CONNECTION_MESSAGES.test(message)) return true;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}

/**
 * What to log about a database error. pg attaches the client to connection errors,
 * and with it the connection's parameters and its cancel key: never log those.
 */
export function loggableDatabaseError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, errcode, severity } = error as { code?: unknown; errcode?: unknown; severity?: unknown };
  return { type: error.name, message: error.message, code, errcode, severity, stack: error.stack };
}
