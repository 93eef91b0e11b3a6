// Prometheus metrics: with METRICS_PORT set, a second, private listener serves
// /metrics (request durations by route pattern, login emails, database errors and
// pool, process metrics); the public port never does; without METRICS_PORT nothing
// is measured or mounted.
import { fileURLToPath } from "node:url";
import type { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { enableMetrics } from "../../src/metrics/metrics.ts";
import { listIdFrom } from "../support/html.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { startServerProcess } from "../support/server-process.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

/** The samples of one metric in Prometheus text, e.g. `name{labels} value`. */
function samples(text: string, name: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

let registry: Registry;
beforeAll(async () => {
  // What the server does at start when METRICS_PORT is set.
  ({ registry } = await enableMetrics());
});

describe("in process, with METRICS_PORT set", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ METRICS_PORT: "0" });
  });
  afterAll(() => testApp.close());

  test("requests are timed by method, route pattern and status; list ids never appear", async () => {
    const client = testApp.client();
    const listId = listIdFrom((await client.post("/lists/new", { text: "Measured" })).headers.get("Location"));
    expect((await client.get(`/lists/${listId}/`)).status).toBe(200);
    expect((await client.get("/no/such/page/")).status).toBe(404);
    expect((await client.get("/static/site.css")).status).toBe(200);

    const text = await registry.metrics();
    const counts = samples(text, "http_request_duration_seconds_count");
    expect(counts).toContainEqual(
      expect.stringMatching(/^\S+\{method="GET",route="\/lists\/:id\/",status="200"\} [1-9]/),
    );
    expect(counts).toContainEqual(expect.stringMatching(/\{method="POST",route="\/lists\/new",status="302"\} [1-9]/));
    expect(counts).toContainEqual(expect.stringMatching(/\{method="GET",route="unmatched",status="404"\} [1-9]/));
    expect(counts).toContainEqual(expect.stringMatching(/\{method="GET",route="\/static\/\*",status="200"\} [1-9]/));
    expect(text).not.toContain(listId);
    expect(text).not.toContain("/no/such/page/");
  });

  test("a login email asked for through the app counts as sent", async () => {
    const before = samples(await registry.metrics(), "superlists_login_emails_total");
    const sent = (lines: string[]) => Number(lines.find((line) => line.includes('result="sent"'))?.split(" ")[1]);
    expect((await testApp.client().post("/accounts/send_login_email", { email: "counted@example.com" })).status).toBe(
      302,
    );
    expect(testApp.mailer.outbox.some((message) => message.to === "counted@example.com")).toBe(true);
    expect(sent(samples(await registry.metrics(), "superlists_login_emails_total"))).toBe(sent(before) + 1);
  });

  test("the public app has no /metrics", async () => {
    expect((await testApp.client().get("/metrics")).status).toBe(404);
  });
});

describe("in process, without METRICS_PORT", () => {
  test("no request is timed", async () => {
    const testApp = await createTestApp();
    try {
      const before = samples(await registry.metrics(), "http_request_duration_seconds_count");
      expect((await testApp.client().get("/")).status).toBe(200);
      expect(samples(await registry.metrics(), "http_request_duration_seconds_count")).toEqual(before);
    } finally {
      await testApp.close();
    }
  });
});

describe("a server process with METRICS_PORT", () => {
  const running = serverOnTestDatabase("all", () => ({ EMAIL_BACKEND: "memory", METRICS_PORT: "0" }));
  let metricsUrl: string;
  beforeAll(async () => {
    metricsUrl = String((await running().server.waitForLog((line) => line.msg === "metrics listening")).url);
  });

  test("serves Prometheus text on 127.0.0.1 at /metrics, and only there", async () => {
    const { server, database: testDatabase } = running();
    expect(new URL(metricsUrl).hostname).toBe("127.0.0.1");
    expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
    expect((await fetch(`${server.url}/`)).status).toBe(200);

    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(samples(text, "http_request_duration_seconds_count")).toContainEqual(
      expect.stringMatching(/\{method="GET",route="\/",status="200"\} [1-9]/),
    );
    // Node's and the process's metrics, but not the garbage collection histogram whose
    // observer cost more than all the rest (src/metrics/process-metrics.ts).
    for (const name of [
      "process_resident_memory_bytes",
      "process_cpu_seconds_total",
      "process_open_fds",
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_heap_size_used_bytes",
      "nodejs_active_handles_total",
    ]) {
      expect(samples(text, name), name).not.toEqual([]);
    }
    expect(text).not.toContain("nodejs_gc_duration_seconds");
    expect(samples(text, "superlists_login_emails_total")).toEqual([
      'superlists_login_emails_total{result="sent"} 0',
      'superlists_login_emails_total{result="failed"} 0',
    ]);
    expect(samples(text, "superlists_database_errors_total")).toHaveLength(3);
    if (testDatabase.url.startsWith("postgres")) {
      expect(samples(text, "superlists_database_pool_connections")).toHaveLength(2);
    }

    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(new URL("/", metricsUrl))).status).toBe(404);
  });
});

describe("several worker processes (node:cluster, as serve --workers runs)", () => {
  test("one scrape of the primary shows every worker's counts, summed", async () => {
    const primary = await startServerProcess({}, [
      process.execPath,
      fileURLToPath(new URL("../support/cluster-metrics-process.ts", import.meta.url)),
    ]);
    try {
      const text = await (await fetch(primary.url)).text();
      expect(samples(text, "superlists_login_emails_total")).toContain(
        'superlists_login_emails_total{result="sent"} 2',
      );
    } finally {
      await primary.stop();
    }
  });
});
