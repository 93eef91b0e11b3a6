// The PostgreSQL connection pool, bounded in time and in queue length, and safe
// against connections that end while a request uses them.
import { createRequire } from "node:module";
import { Socket } from "node:net";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pgModule from "pg";
import { PoolQueueFullError } from "./errors.ts";
import { statementName } from "./named-statements.ts";

const PG_INT8_OID = 20;
const LOCK_TIMEOUT_MS = 5000;
/** How much longer than the server's statement_timeout the client waits for an answer. */
const READ_TIMEOUT_MARGIN_MS = 1000;
const KEEPALIVE_DELAY_MS = 10_000;

export type PostgresPoolOptions = {
  url: string;
  size: number;
  /**
   * Bound on connecting and on each statement (server side, and client side a little
   * later); undefined: no bound, for the CLI (a long migration must not be cut short).
   */
  timeoutMs: number | undefined;
  /** Requests allowed to wait for a connection; one more fails at once. */
  maxWaiting: number;
  /** A connection ended or failed (idle or in use); the pool replaces it. Worth a log line. */
  onConnectionError: (error: Error) => void;
};

/** The pool with the statistics the metrics read. */
export type BoundedPool = PostgresPool & {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
};

export function openPostgresPool(options: PostgresPoolOptions): BoundedPool {
  // Loaded only when needed: a SQLite server starts faster without the PostgreSQL driver.
  const pg = createRequire(import.meta.url)("pg") as typeof pgModule;
  // A statement holding a lock fails first, as "busy" (like SQLite's busy_timeout).
  const { timeoutMs } = options;
  const lockTimeoutMs =
    timeoutMs === undefined ? LOCK_TIMEOUT_MS : Math.min(LOCK_TIMEOUT_MS, Math.max(1, timeoutMs - 500));
  const timeouts =
    timeoutMs === undefined
      ? {}
      : {
          connectionTimeoutMillis: timeoutMs,
          statement_timeout: timeoutMs,
          query_timeout: timeoutMs + READ_TIMEOUT_MARGIN_MS,
        };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size,
    ...timeouts,
    // A peer that vanished (a partition, a dead host) is noticed on idle connections too.
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    options: `-c lock_timeout=${lockTimeoutMs}`,
    // Timestamps are bigint milliseconds: well inside Number's exact range.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID ? Number : pg.types.getTypeParser(oid, format),
    } as pgModule.CustomTypesConfig,
  });
  // Without listeners Node turns "error" events into uncaught exceptions that end the
  // process. The pool listens on idle clients only; a client in use (PostgreSQL ending
  // the session mid-request: a failover, a restart, pg_terminate_backend) emits its own,
  // while the request using it fails with the same error and gets a 503.
  pool.on("error", (error) => options.onConnectionError(error));
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      if (clientsInUse.has(client)) options.onConnectionError(error);
    });
  });
  const clientsInUse = new WeakSet<pgModule.PoolClient>();
  const wrapped = new WeakMap<pgModule.PoolClient, PostgresPoolClient>();

  function forKysely(client: pgModule.PoolClient): PostgresPoolClient {
    let gaveUp = false;
    const wrapper: PostgresPoolClient = {
      // Kysely runs SQL with parameters only (it uses no cursors here). The prepared
      // queries run as named statements, parsed and planned once per connection.
      query: ((sql: string, parameters: readonly unknown[]) =>
        client.query({ name: statementName(sql), text: sql, values: [...parameters] }).catch((error: unknown) => {
          if (error instanceof Error && error.message === "Query read timeout") gaveUp = true;
          throw error;
        })) as unknown as PostgresPoolClient["query"],
      release: () => {
        clientsInUse.delete(client);
        if (!gaveUp) return client.release();
        // The statement may still be on its way (a partition): reset the connection so that
        // TCP never delivers it, and a statement the user was told failed is never committed.
        const { stream } = client.connection;
        if (stream instanceof Socket) stream.resetAndDestroy();
        else stream.destroy();
        client.release(new Error("gave up waiting for the database"));
        wrapped.delete(client);
      },
    };
    return wrapper;
  }

  return {
    options: pool.options,
    get totalCount() {
      return pool.totalCount;
    },
    get idleCount() {
      return pool.idleCount;
    },
    get waitingCount() {
      return pool.waitingCount;
    },
    async connect() {
      if (pool.waitingCount >= options.maxWaiting) throw new PoolQueueFullError(pool.waitingCount);
      const client = await pool.connect();
      clientsInUse.add(client);
      let wrapper = wrapped.get(client);
      if (!wrapper) {
        wrapper = forKysely(client);
        wrapped.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
