// `superlists serve --workers N`: N server processes sharing one port (node:cluster).
// The primary serves nothing itself: it starts the workers, replaces one that dies,
// passes SIGTERM/SIGINT on, and exits once all have stopped.
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Logger } from "./logger.ts";
import { SHUTDOWN_TIMEOUT_MS } from "./shutdown.ts";

export type WorkerCount = number | "auto";

/** How many processes `count` means on this machine ("auto": one per core). */
function workerProcesses(count: WorkerCount): number {
  return count === "auto" ? availableParallelism() : count;
}

/** Whether this process should start workers rather than serve. */
export function isWorkerPrimary(count: WorkerCount): boolean {
  return cluster.isPrimary && workerProcesses(count) > 1;
}

/**
 * Forks the workers and supervises them until SIGTERM/SIGINT; then exits 0 once every
 * worker then alive has exited 0, or 1. A worker that dies before it listens stops them
 * all (the next would fail the same way) and the exit is 1; one that dies later is
 * replaced, and its death does not count against the shutdown (it was logged).
 */
export function superviseWorkers(count: WorkerCount, logger: Logger): void {
  const listening = new WeakSet<Worker>();
  let stopping: NodeJS.Signals | undefined;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    worker.once("listening", () => listening.add(worker));
  };
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = signal;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => {
      logger.error("workers did not stop in time; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS + 1_000).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      // A replacement still starting has not installed its handler: the signal ends it, and it had served nothing.
      const stoppedCleanly = (code === 0 && signal === null) || (!listening.has(worker) && signal === stopping);
      if (!stoppedCleanly) failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info({ failed }, "all workers stopped");
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    if (!listening.has(worker)) {
      logger.error({ pid: worker.process.pid, code, signal }, "a worker failed to start; stopping");
      failed = true;
      stopAll("SIGTERM");
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "a worker died; starting another");
    fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      logger.info({ signal }, "shutting down: stopping the workers");
      stopAll(signal);
    });
  }
  const processes = workerProcesses(count);
  logger.info({ workers: processes }, "starting workers");
  for (let i = 0; i < processes; i++) fork();
}
