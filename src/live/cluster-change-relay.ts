// `serve --workers N` on SQLite: each worker sends the changes it makes to the cluster
// primary, which passes them on to every other worker (node:cluster's IPC channel).
import cluster from "node:cluster";
import { type ListChanges, parseListChange } from "./list-changes.ts";

const MESSAGE_TYPE = "superlists:list-change";

function changeInMessage(message: unknown): ReturnType<typeof parseListChange> {
  if (typeof message !== "object" || message === null) return undefined;
  const { type, change } = message as Record<string, unknown>;
  return type === MESSAGE_TYPE ? parseListChange(change) : undefined;
}

/** In the primary, before the workers start: passes each worker's changes on to the others. */
export function relayListChangesBetweenWorkers(): void {
  cluster.on("message", (sender, message: unknown) => {
    const change = changeInMessage(message);
    if (!change) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== sender && worker.isConnected()) worker.send({ type: MESSAGE_TYPE, change });
    }
  });
}

/** In a worker: its changes go to the primary, the others' come from it. Returns the function that stops it. */
export function joinWorkersChangeRelay(changes: ListChanges): () => void {
  const receive = (message: unknown) => {
    const change = changeInMessage(message);
    if (change) changes.deliver(change);
  };
  process.on("message", receive);
  const stopSending = changes.relayTo((change) => {
    if (process.connected) process.send?.({ type: MESSAGE_TYPE, change });
  });
  return () => {
    stopSending();
    process.off("message", receive);
  };
}
