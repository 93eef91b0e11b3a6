// The gauge of open event streams, read when Prometheus scrapes (summed over --workers).
import type { Metrics } from "../metrics/metrics.ts";
import { openEventStreamsInProcess } from "./open-streams.ts";

export async function watchOpenEventStreams({ registry }: Metrics): Promise<void> {
  const { Gauge } = (await import("prom-client")).default;
  new Gauge({
    name: "superlists_open_event_streams",
    help: "Event streams open to list pages (live updates).",
    registers: [registry],
    collect() {
      this.set(openEventStreamsInProcess());
    },
  });
}
