// What one server process needs for live list pages: the changes and the open streams
// (for the app), and the relay that carries changes to the other processes (none when
// there are none).
import cluster from "node:cluster";
import type { DatabaseTarget } from "../config.ts";
import type { Logger } from "../runtime/logger.ts";
import { joinWorkersChangeRelay } from "./cluster-change-relay.ts";
import { ListChanges } from "./list-changes.ts";
import { OpenStreams } from "./open-streams.ts";
import { startPostgresChangeRelay } from "./postgres-change-relay.ts";

export type LiveLists = {
  changes: ListChanges;
  streams: OpenStreams;
  /** Ends the open streams (at shutdown, before the listener waits for requests in flight). */
  endStreams: () => void;
};

export function processLiveLists(): LiveLists {
  const changes = new ListChanges();
  const streams = new OpenStreams();
  return { changes, streams, endStreams: () => streams.endAll() };
}

/**
 * Carries changes to and from the other processes: PostgreSQL's NOTIFY, or the cluster
 * primary for SQLite workers; nothing for a single SQLite server. Returns the function
 * that stops it. Started once the server listens, so that a server that fails to start
 * leaves no connection open.
 */
export async function relayListChanges(
  changes: ListChanges,
  database: DatabaseTarget,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (database.kind === "postgres") return (await startPostgresChangeRelay(database.url, changes, logger)).close;
  if (cluster.isWorker) {
    const stop = joinWorkersChangeRelay(changes);
    return async () => stop();
  }
  return async () => {};
}
