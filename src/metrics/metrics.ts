// The application's Prometheus metrics. prom-client is loaded only by enableMetrics
// (METRICS_PORT set): loading it costs a process about 0.15 s of CPU at start-up, and
// with metrics off nothing is measured at all. Until then the counters below, which
// the code calls wherever it counts something, do nothing.
import type { Counter, Histogram, Registry } from "prom-client";

/** A counter the code can always call; it counts once metrics are enabled. */
export class MetricCounter<Label extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelName: Label;
  readonly labelValues: readonly string[];
  real: Counter<Label> | undefined;

  constructor(name: string, help: string, labelName: Label, labelValues: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelName = labelName;
    this.labelValues = labelValues;
  }

  inc(labels: Record<Label, string>, value = 1): void {
    this.real?.inc(labels, value);
  }
}

/**
 * Login emails handed to the mail server ("sent") or refused by it ("failed"). The login
 * route calls `loginEmailsTotal.inc({ result })` once per email it tries to send.
 */
export const loginEmailsTotal = new MetricCounter(
  "superlists_login_emails_total",
  "Login emails sent, or failed to send, by result.",
  "result",
  ["sent", "failed"],
);

/**
 * Requests answered 503 because of the database: "busy" (a lock held too long),
 * "unavailable" (connection lost, timeout, pool queue full) or "storage" (writes refused).
 */
export const databaseErrorsTotal = new MetricCounter(
  "superlists_database_errors_total",
  "Requests answered 503 because of the database, by kind.",
  "kind",
  ["busy", "unavailable", "storage"],
);

export type Metrics = {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
};

let enabled: Metrics | undefined;

/** The metrics, if enabled: what the request timer records into. */
export function enabledMetrics(): Metrics | undefined {
  return enabled;
}

/** Loads prom-client and starts measuring, process metrics included (memory, CPU, event loop lag…). */
export async function enableMetrics(): Promise<Metrics> {
  if (enabled) return enabled;
  const { default: prom } = await import("prom-client");
  const registry = new prom.Registry();
  const httpRequestDuration = new prom.Histogram({
    name: "http_request_duration_seconds",
    help: "Time from receiving a request to its response, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  for (const counter of [loginEmailsTotal, databaseErrorsTotal] as MetricCounter<string>[]) {
    const real = new prom.Counter({
      name: counter.name,
      help: counter.help,
      labelNames: [counter.labelName],
      registers: [registry],
    });
    // Every series exists from the start (at 0): a rate over a series that appears late is wrong.
    for (const value of counter.labelValues) real.inc({ [counter.labelName]: value }, 0);
    counter.real = real;
  }
  const { collectProcessMetrics } = await import("./process-metrics.ts");
  collectProcessMetrics(registry);
  enabled = { registry, httpRequestDuration };
  return enabled;
}
