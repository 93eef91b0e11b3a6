// Node's and the process's metrics (memory, CPU, event loop lag, heap, handles, open
// files…): every one of prom-client's default metrics but nodejs_gc_duration_seconds.
// Observing every garbage collection was nearly all that metrics cost `GET /` with the
// image's small young generation (docs/performance.md, "Metrics"). collectDefaultMetrics
// cannot leave one out, so its collectors are called one by one; long collections still
// show as event loop lag.
import prom, { type Registry } from "prom-client";
import eventLoopLag from "prom-client/lib/metrics/eventLoopLag.js";
import heapSizeAndUsed from "prom-client/lib/metrics/heapSizeAndUsed.js";
import heapSpacesSizeAndUsed from "prom-client/lib/metrics/heapSpacesSizeAndUsed.js";
import osMemoryHeap from "prom-client/lib/metrics/osMemoryHeap.js";
import processCpuTotal from "prom-client/lib/metrics/processCpuTotal.js";
import processHandles from "prom-client/lib/metrics/processHandles.js";
import processMaxFileDescriptors from "prom-client/lib/metrics/processMaxFileDescriptors.js";
import processOpenFileDescriptors from "prom-client/lib/metrics/processOpenFileDescriptors.js";
import processRequests from "prom-client/lib/metrics/processRequests.js";
import processResources from "prom-client/lib/metrics/processResources.js";
import processStartTime from "prom-client/lib/metrics/processStartTime.js";
import version from "prom-client/lib/metrics/version.js";

const COLLECTORS = {
  processCpuTotal,
  processStartTime,
  osMemoryHeap,
  processOpenFileDescriptors,
  processMaxFileDescriptors,
  eventLoopLag,
  processResources,
  processHandles,
  processRequests,
  heapSizeAndUsed,
  heapSpacesSizeAndUsed,
  version,
};
const LEFT_OUT = ["gc"];

export function collectProcessMetrics(registry: Registry): void {
  // A prom-client release that adds, renames or drops a default metric must be looked
  // at here, not silently missed.
  const expected = prom.collectDefaultMetrics.metricsList.filter((name) => !LEFT_OUT.includes(name)).sort();
  const collected = Object.keys(COLLECTORS).sort();
  if (expected.join() !== collected.join()) {
    throw new Error(`prom-client's default metrics are now ${expected.join(", ")}: update ${import.meta.url}`);
  }
  for (const collect of Object.values(COLLECTORS)) collect(registry, { eventLoopMonitoringPrecision: 10 });
}
