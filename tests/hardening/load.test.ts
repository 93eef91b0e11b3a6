// Bounded load runs (seconds, loopback only) against a server process with a
// mix of page views, static files and form posts: zero errors, and no memory
// leak across repeated runs. Not a speed test: nothing here depends on how fast
// the machine is. The leak check is the server's heap after a forced full GC
// (read through the inspector); RSS, which V8 grows lazily on a roomy machine,
// is printed and only bounded generously.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CSRF_COOKIE } from "../../src/web/csrf.ts";
import { listIdFrom } from "../support/html.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { connectHeapInspector, type HeapInspector } from "./support/heap-inspector.ts";
import { HttpClient } from "./support/http-client.ts";

const RUN_SECONDS = 3;
const CONNECTIONS = 10;
const MEASURED_RUNS = 3;
/** Heap kept after a full GC may grow this much over the measured runs (caches settling), no more. */
const MAX_HEAP_GROWTH_MB = 10;
/** RSS also counts heap V8 has not bothered to give back: only a gross native leak would pass this. */
const MAX_RSS_GROWTH_MB = 150;

// autocannon ships no types: the part of its API used here.
type AutocannonRequest = {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
};
type AutocannonResult = {
  errors: number;
  timeouts: number;
  requests: { total: number };
  statusCodeStats: Record<string, { count: number }>;
};
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const running = serverOnTestDatabase("all", () => ({
  LOG_LEVEL: "info",
  // Loopback only, random port, for the heap readings.
  NODE_OPTIONS: "--inspect=127.0.0.1:0",
  EMAIL_BACKEND: "memory",
}));
let requests: AutocannonRequest[];
let inspector: HeapInspector;

const rssMb = () => {
  const kb = readFileSync(`/proc/${running().server.child.pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
  return Number(kb) / 1024;
};

beforeAll(async () => {
  const { server } = running();
  inspector = await connectHeapInspector(server.output);
  const client = new HttpClient(server.url);
  const created = await client.post("/lists/new", { text: "Load list item 0" });
  const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;
  for (let n = 1; n < 10; n++) await (await client.post(listPath, { text: `Load list item ${n}` })).arrayBuffer();
  const token = client.cookies.get(CSRF_COOKIE) ?? "";
  const form = {
    "Content-Type": "application/x-www-form-urlencoded",
    Cookie: `${CSRF_COOKIE}=${token}`,
    Origin: server.url,
  };
  let posted = 0;
  requests = [
    { path: "/" },
    { path: listPath },
    { path: "/static/site.css", headers: { "Accept-Encoding": "gzip" } },
    {
      method: "POST",
      path: "/lists/new",
      headers: form,
      setupRequest: (request) => ({ ...request, body: `csrf_token=${token}&text=Load+${posted++}` }),
    },
  ];
});
afterAll(() => inspector?.close());

const mb = (bytes: number) => bytes / 1024 / 1024;

async function loadRun(label: string): Promise<void> {
  const before = rssMb();
  const result = await autocannon({
    url: running().server.url,
    connections: CONNECTIONS,
    duration: RUN_SECONDS,
    requests,
  });
  const after = rssMb();
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  console.log(
    `[load] ${label}: ${result.requests.total} requests, statuses ${JSON.stringify(statuses)}, ` +
      `errors ${result.errors}, timeouts ${result.timeouts}, server RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`,
  );
  expect(result.requests.total).toBeGreaterThan(0);
  expect(result.errors).toBe(0);
  expect(result.timeouts).toBe(0);
  expect(Object.keys(statuses).sort()).toEqual(["200", "302"]);
}

test(`${MEASURED_RUNS} load runs after a warm-up: zero errors, no memory kept from one run to the next`, async () => {
  const { server } = running();
  // The warm-up fills what is meant to stay (statement cache, compressed assets, compiled code).
  await loadRun("warm-up");
  const heapBefore = mb(await inspector.heapUsedAfterGc());
  const rssBefore = rssMb();
  for (let run = 1; run <= MEASURED_RUNS; run++) await loadRun(`run ${run}`);
  const heapAfter = mb(await inspector.heapUsedAfterGc());
  const rssAfter = rssMb();
  console.log(
    `[load] over ${MEASURED_RUNS} runs: heap after GC ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB, ` +
      `RSS ${rssBefore.toFixed(1)} → ${rssAfter.toFixed(1)} MB`,
  );
  expect(heapAfter - heapBefore).toBeLessThan(MAX_HEAP_GROWTH_MB);
  expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_MB);
  expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
}, 60_000);
