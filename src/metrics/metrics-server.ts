// The private listener that serves the metrics: a second port (METRICS_PORT) on its
// own host (METRICS_HOST, loopback by default), never the public app, so that what the
// site's traffic looks like stays with the operators.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "./metrics.ts";

export type MetricsText = () => Promise<{ contentType: string; body: string }>;

export type MetricsServer = { url: string; close: () => Promise<void> };

/** This process's metrics. */
export function processMetricsText({ registry }: Metrics): MetricsText {
  return async () => ({ contentType: registry.contentType, body: await registry.metrics() });
}

export async function startMetricsServer(host: string, port: number, text: MetricsText): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not Found: metrics are at /metrics\n");
      return;
    }
    text().then(
      ({ contentType, body }) => response.writeHead(200, { "Content-Type": contentType }).end(body),
      (error: unknown) =>
        response
          .writeHead(500, { "Content-Type": "text/plain" })
          .end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
