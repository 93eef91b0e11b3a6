// PostgreSQL: changes go to every server process on the database by NOTIFY, on one
// connection per process kept for LISTEN. It is a pg.Client of its own, outside the
// pool: it never holds one of the pool's connections, and the named statements the
// pool's connections prepare (src/db/named-statements.ts) never meet it (it runs only
// LISTEN and unnamed pg_notify queries). When it drops, it reconnects with a growing
// delay, and every open stream refreshes (it may have missed changes meanwhile).
import { createRequire } from "node:module";
import type pgModule from "pg";
import type { Logger } from "../runtime/logger.ts";
import { type ListChanges, parseListChange } from "./list-changes.ts";

const CHANNEL = "superlists_list_changes";
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
const KEEPALIVE_DELAY_MS = 10_000;
/** How the connection shows in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = "superlists-live-lists";

export type PostgresChangeRelay = { close: () => Promise<void> };

export async function startPostgresChangeRelay(
  url: string,
  changes: ListChanges,
  logger: Logger,
): Promise<PostgresChangeRelay> {
  const pg = createRequire(import.meta.url)("pg") as typeof pgModule;
  let client: pgModule.Client | undefined;
  /** The backend of this process's connection: its own notifications come back to it, and are skipped. */
  let ownBackend: number | undefined;
  let closed = false;
  let delay = RECONNECT_MIN_MS;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (isReconnection: boolean) => {
    const next = new pg.Client({
      connectionString: url,
      application_name: LISTEN_APPLICATION_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      next.end().catch(() => {});
      if (!closed) {
        logger.warn({ err: error }, "live lists: the LISTEN connection to PostgreSQL was lost; reconnecting");
        scheduleReconnect();
      }
    };
    next.on("error", lost);
    next.on("end", () => lost());
    next.on("notification", ({ processId, payload }) => {
      if (processId === ownBackend || payload === undefined) return;
      try {
        const change = parseListChange(JSON.parse(payload));
        if (change) changes.deliver(change);
      } catch {
        // Not one of ours: ignored.
      }
    });
    try {
      await next.connect();
      const { rows } = await next.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await next.query(`LISTEN ${CHANNEL}`);
      if (closed) {
        await next.end();
        return;
      }
      ownBackend = rows[0]?.pid;
      client = next;
      delay = RECONNECT_MIN_MS;
      if (isReconnection) {
        logger.info("live lists: listening to PostgreSQL again");
        changes.resync();
      }
    } catch (error) {
      next.end().catch(() => {});
      if (closed) return;
      logger.warn({ err: error }, "live lists: could not LISTEN on PostgreSQL; trying again");
      scheduleReconnect();
    }
  };
  const scheduleReconnect = () => {
    if (retry || closed) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect(true);
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  const stopSending = changes.relayTo((change) => {
    // Without the connection the other processes miss this change; their pages catch up
    // at the next one, or when this process reconnects (they refresh then).
    client?.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(change)]).catch((error: unknown) => {
      logger.warn({ err: error, listId: change.listId }, "live lists: NOTIFY failed");
    });
  });
  await connect(false);
  return {
    close: async () => {
      closed = true;
      stopSending();
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
