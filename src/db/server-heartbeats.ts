// Which servers are using the database, so `superlists restore` can refuse to replace
// data under them: a running server would keep serving (on SQLite, the old file it holds
// open) and acknowledge writes the restore then loses.
//
// Why a table, not a lock file or pg_stat_activity: a row in the database itself is seen
// by every process that can reach the database (--workers processes on one SQLite file,
// servers on several machines sharing one PostgreSQL) and works the same on both. Each
// serving process upserts its row every HEARTBEAT_INTERVAL_MS (one statement, from an
// unref'd timer) and deletes it on a clean shutdown; a killed server's row goes stale
// and stops counting after FRESH_FOR_MS. Times are the writer's and the reader's clocks:
// machines sharing a database are assumed to agree within a few seconds (NTP).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../runtime/logger.ts";
import type { Database } from "./database.ts";
import { loggableDatabaseError } from "./errors.ts";
import { RepeatedErrorLog } from "./repeated-error-log.ts";

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Three intervals: room for a late beat (a busy database) and clocks a little apart. */
const FRESH_FOR_MS = 3 * HEARTBEAT_INTERVAL_MS;

export type ServerHeartbeat = { host: string; pid: number; seenAt: number };

/**
 * Announces this process as a server using the database, from now until the returned
 * function is called (which waits for a beat in flight, then deletes the row).
 */
export async function startHeartbeat(database: Database, logger: Logger): Promise<() => Promise<void>> {
  const server = { id: randomUUID(), host: hostname(), pid: process.pid };
  const failures = new RepeatedErrorLog();
  const beat = async () => {
    try {
      await database.db
        .insertInto("server_heartbeats")
        .values({ ...server, seen_at: Date.now() })
        .onConflict((conflict) => conflict.column("id").doUpdateSet((eb) => ({ seen_at: eb.ref("excluded.seen_at") })))
        .execute();
    } catch (error) {
      // The database may be busy or away: requests report that; the next beat tries again.
      failures.warn(
        logger,
        "heartbeat",
        { err: loggableDatabaseError(error) },
        "writing the server's heartbeat failed",
      );
    }
  };
  let stopped = false;
  let beating = beat();
  await beating;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(() => {
      beating = beat().then(() => {
        if (!stopped) next();
      });
    }, HEARTBEAT_INTERVAL_MS).unref();
  };
  next();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    // A beat landing after the delete would bring the row back.
    await beating;
    try {
      await database.db.deleteFrom("server_heartbeats").where("id", "=", server.id).execute();
    } catch (error) {
      logger.warn(
        { err: loggableDatabaseError(error) },
        "deleting the server's heartbeat failed; it expires by itself",
      );
    }
  };
}

/** The servers that have announced themselves recently, most recent first. */
export async function serversUsing({ db }: Database, now: number = Date.now()): Promise<ServerHeartbeat[]> {
  // A database no server has migrated yet has no such table, and no servers.
  const tables = await db.introspection.getTables();
  if (!tables.some((table) => table.name === "server_heartbeats")) return [];
  const rows = await db
    .selectFrom("server_heartbeats")
    .select(["host", "pid", "seen_at"])
    .where("seen_at", ">", now - FRESH_FOR_MS)
    .orderBy("seen_at", "desc")
    .execute();
  return rows.map((row) => ({ host: row.host, pid: row.pid, seenAt: row.seen_at }));
}
