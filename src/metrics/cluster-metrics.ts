// `serve --workers`' metrics: each worker answers its primary's requests for its metrics
// over the cluster's IPC channel, and the primary sums what the workers answered into
// one /metrics. A worker that does not answer in time (killed mid-scrape, a replacement
// still starting, one stuck) is left out of that scrape instead of failing it.
import cluster, { type Worker } from "node:cluster";
import type { Metrics } from "./metrics.ts";
import type { MetricsText } from "./metrics-server.ts";

/** How long the primary waits for a worker's metrics before leaving it out of the scrape. */
const WORKER_ANSWER_MS = 1_000;

const REQUEST = "superlists:metrics-request";
const ANSWER = "superlists:metrics-answer";

type MetricsRequest = { type: typeof REQUEST; id: number };
type MetricsAnswer = { type: typeof ANSWER; id: number; metrics: object[] };

function isRequest(message: unknown): message is MetricsRequest {
  return typeof message === "object" && message !== null && "type" in message && message.type === REQUEST;
}

function isAnswerTo(message: unknown, id: number): message is MetricsAnswer {
  return (
    typeof message === "object" &&
    message !== null &&
    "type" in message &&
    message.type === ANSWER &&
    "id" in message &&
    message.id === id
  );
}

/** In each worker of `serve --workers` (after enableMetrics): answers the primary's requests. */
export async function serveMetricsToClusterPrimary({ registry }: Metrics): Promise<void> {
  process.on("message", (message: unknown) => {
    if (!isRequest(message)) return;
    void registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: ANSWER, id: message.id, metrics } satisfies MetricsAnswer),
      // No answer: the primary leaves this worker out after WORKER_ANSWER_MS.
      () => {},
    );
  });
}

/** A worker's metrics, or undefined if it exits or does not answer within WORKER_ANSWER_MS. */
function askWorker(worker: Worker, id: number): Promise<object[] | undefined> {
  return new Promise((resolve) => {
    const finish = (metrics?: object[]) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("exit", onExit);
      resolve(metrics);
    };
    const onMessage = (message: unknown) => {
      if (isAnswerTo(message, id)) finish(message.metrics);
    };
    const onExit = () => finish();
    const timer = setTimeout(finish, WORKER_ANSWER_MS);
    worker.on("message", onMessage);
    worker.once("exit", onExit);
    worker.send({ type: REQUEST, id } satisfies MetricsRequest, (error: Error | null) => {
      if (error) finish();
    });
  });
}

/**
 * With `serve --workers`: the primary's metrics, every worker's summed (histograms and
 * counters) or combined as prom-client's aggregators say. Give it to startMetricsServer.
 */
export async function clusterMetricsText(): Promise<MetricsText> {
  const { AggregatorRegistry } = (await import("prom-client")).default;
  let nextId = 0;
  return async () => {
    const id = nextId++;
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker?.isConnected());
    const answers = await Promise.all(workers.map((worker) => (worker ? askWorker(worker, id) : undefined)));
    const registry = AggregatorRegistry.aggregate(answers.filter((metrics) => metrics !== undefined));
    return { contentType: registry.contentType, body: await registry.metrics() };
  };
}
