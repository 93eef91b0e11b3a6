// The application's Prometheus metrics, in one registry. Counting costs next to
// nothing; the request histogram and the process metrics only run when METRICS_PORT
// is set (see request-metrics.ts and metrics-server.ts).
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export const registry = new Registry();

export const httpRequestDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "Time from receiving a request to its response, by method, route pattern and status.",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/**
 * Login emails handed to the mail server ("sent") or refused by it ("failed"). The login
 * route calls `loginEmailsTotal.inc({ result })` once per email it tries to send.
 */
export const loginEmailsTotal = new Counter({
  name: "superlists_login_emails_total",
  help: "Login emails sent, or failed to send, by result.",
  labelNames: ["result"] as const,
  registers: [registry],
});

/**
 * Requests answered 503 because of the database: "busy" (a lock held too long),
 * "unavailable" (connection lost, timeout, pool queue full) or "storage" (writes refused).
 */
export const databaseErrorsTotal = new Counter({
  name: "superlists_database_errors_total",
  help: "Requests answered 503 because of the database, by kind.",
  labelNames: ["kind"] as const,
  registers: [registry],
});

// Every series exists from the start (at 0): a rate over a series that appears late is wrong.
for (const result of ["sent", "failed"] as const) loginEmailsTotal.inc({ result }, 0);
for (const kind of ["busy", "unavailable", "storage"] as const) databaseErrorsTotal.inc({ kind }, 0);

let processMetricsOn = false;

/** Memory, CPU, event loop lag, handles… (`process_resident_memory_bytes` and the like). */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: registry });
}
