// A two-worker node:cluster process wired as `serve --workers` wires metrics: each
// worker counts something and answers the primary's requests for its metrics; only the
// primary listens on the metrics port. Logs "listening" with the metrics URL, as serve
// does (for startServerProcess), once the workers are up.
import cluster from "node:cluster";
import { clusterMetricsText, serveMetricsToClusterPrimary } from "../../src/metrics/cluster-metrics.ts";
import { enableMetrics, loginEmailsTotal } from "../../src/metrics/metrics.ts";
import { startMetricsServer } from "../../src/metrics/metrics-server.ts";

const WORKERS = 2;

if (cluster.isPrimary) {
  const text = await clusterMetricsText();
  let ready = 0;
  cluster.on("message", async (_worker, message) => {
    if (message !== "counted" || ++ready < WORKERS) return;
    const server = await startMetricsServer("127.0.0.1", 0, text);
    process.stdout.write(`${JSON.stringify({ level: 30, msg: "listening", url: server.url })}\n`);
  });
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  process.once("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  await serveMetricsToClusterPrimary(await enableMetrics());
  loginEmailsTotal.inc({ result: "sent" });
  process.send?.("counted");
}
