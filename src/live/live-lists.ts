// What one server process needs for live list pages: the changes, the open streams and
// the relay that carries changes to the other processes (none when there are none).
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
  /** Stops relaying changes. */
  close: () => Promise<void>;
};

/** Live lists within this process alone: tests, and a single SQLite server. */
export function processLiveLists(): LiveLists {
  const changes = new ListChanges();
  const streams = new OpenStreams();
  return { changes, streams, endStreams: () => streams.endAll(), close: async () => {} };
}

/** Live lists across processes: PostgreSQL's NOTIFY, or the cluster primary for SQLite workers. */
export async function startLiveLists(database: DatabaseTarget, logger: Logger): Promise<LiveLists> {
  const live = processLiveLists();
  if (database.kind === "postgres") {
    const relay = await startPostgresChangeRelay(database.url, live.changes, logger);
    return { ...live, close: relay.close };
  }
  if (cluster.isWorker) {
    const stop = joinWorkersChangeRelay(live.changes);
    return { ...live, close: async () => stop() };
  }
  return live;
}
