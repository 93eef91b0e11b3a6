// prom-client's default metric collectors, one module each (CommonJS, untyped): each
// registers its metrics in the registry, as collectDefaultMetrics does for all of them.
declare module "prom-client/lib/metrics/*.js" {
  import type { Registry } from "prom-client";

  const collect: (registry: Registry, config: { eventLoopMonitoringPrecision?: number }) => void;
  export default collect;
}
