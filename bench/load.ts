// One fixed-duration load run with autocannon's programmatic API: throughput,
// latency percentiles (from every response, to the microsecond) and errors.
import { createRequire } from "node:module";

// autocannon ships no types: this is the part of its API the bench uses.
type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  idReplacement?: boolean;
  setupClient?: (client: AutocannonClient) => void;
};
/** The parts of autocannon's per-connection client the bench replaces. */
type AutocannonClient = {
  pipelinedRequests: { addBody: (data: Buffer) => void };
  on(event: "headers", listener: (info: { shouldKeepAlive: boolean }) => void): void;
  /** Writes the next request on the connection; called after each response and on each (re)connection. */
  _doRequest: () => void;
};
type AutocannonResult = {
  duration: number;
  /** Socket errors, timeouts included. */
  errors: number;
  requests: { total: number };
  throughput: { total: number };
  statusCodeStats: Record<string, { count: number }>;
};
type AutocannonInstance = Promise<AutocannonResult> & {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};
const autocannon = createRequire(import.meta.url)("autocannon") as (options: AutocannonOptions) => AutocannonInstance;

export type LoadRequest = {
  /** Absolute URL. */
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** `[<id>]` in the body is replaced by a unique id on every request. */
  body?: string;
  /** Which statuses count as success; anything else (and any socket error or timeout) is an error. */
  success: (status: number) => boolean;
  /** The serving process's CPU seconds so far, to report its CPU time per request. */
  serverCpuSeconds: () => number;
};

export type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Mean bytes per response as received (headers and body, compressed if it was). */
  bytesPerResponse: number;
  /** Server CPU time per request, in µs: moved less than req/s by other processes on the cores. */
  serverCpuUs: number;
};

export const isSuccessfulPage = (status: number) => status >= 200 && status < 400;

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

export async function runLoad(request: LoadRequest, connections: number, durationSeconds: number): Promise<LoadResult> {
  const cpuBefore = request.serverCpuSeconds();
  const instance = autocannon({
    url: request.url,
    connections,
    duration: durationSeconds,
    method: request.method ?? "GET",
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body, idReplacement: request.body.includes("[<id>]") }),
    // autocannon keeps every response body as a string, decoding it as UTF-8; the bench
    // never reads bodies, and decoding brotli's bytes made the load generator, not the
    // server, the limit (a bare server sending them: 3,500 req/s kept, 39,000 discarded).
    setupClient: (client) => {
      client.pipelinedRequests.addBody = () => {};
      // After a response saying `Connection: close` (gunicorn's sync workers answer every
      // request so), autocannon still writes the next request on that connection, gets it
      // reset and counts an error, while its reconnection sends the request again. Only the
      // reconnection's request is sent here.
      let closing = false;
      client.on("headers", ({ shouldKeepAlive }) => {
        closing = !shouldKeepAlive;
      });
      const doRequest = client._doRequest;
      client._doRequest = function (this: AutocannonClient) {
        if (closing) closing = false;
        else doRequest.call(this);
      };
    },
  });
  // autocannon's own histogram counts whole milliseconds: too coarse for sub-millisecond pages.
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  instance.on("response", (_client, _status, _bytes, ms) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  });
  const result = await instance;
  const serverCpuSeconds = request.serverCpuSeconds() - cpuBefore;
  const sorted = latencies.subarray(0, count).sort();
  let failedResponses = 0;
  for (const [status, { count: times }] of Object.entries(result.statusCodeStats)) {
    if (!request.success(Number(status))) failedResponses += times;
  }
  const requests = result.requests.total;
  return {
    requestsPerSecond: requests / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    errors: result.errors + failedResponses,
    bytesPerResponse: requests === 0 ? 0 : result.throughput.total / requests,
    serverCpuUs: requests === 0 ? Number.NaN : (serverCpuSeconds * 1e6) / requests,
  };
}
