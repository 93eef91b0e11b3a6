// The gauge of event streams open to list pages (src/live/), read when Prometheus scrapes
// (summed over --workers).
import type { Metrics } from "./metrics.ts";

export async function watchOpenEventStreams({ registry }: Metrics, openEventStreams: () => number): Promise<void> {
  const { Gauge } = (await import("prom-client")).default;
  new Gauge({
    name: "superlists_open_event_streams",
    help: "Event streams open to list pages (live updates).",
    registers: [registry],
    collect() {
      this.set(openEventStreams());
    },
  });
}
