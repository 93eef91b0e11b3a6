// The HTTP listener: serves a fetch handler with @hono/node-server, and closes without
// closing a connection under a request its client may be sending on it.
import type { Server as HttpServer, ServerResponse } from "node:http";
import { type AddressInfo, Server as NetServer, type Socket } from "node:net";
import { serve } from "@hono/node-server";

/**
 * How long a kept-alive connection may stay idle before the server closes it (Node's
 * keepAliveTimeout, told to clients as `Keep-Alive: timeout=5`). Closing an idle
 * connection races a request its client may be sending on it, so the proxy in front
 * must close first: its upstream keepalive_timeout (infra/nginx-site.conf.j2) is shorter.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How much longer than it says the server keeps an idle connection: a margin for clients that use the whole timeout. */
const KEEP_ALIVE_MARGIN_MS = 1_000;

export type Listener = {
  /** `http://HOST:PORT` as bound. */
  url: string;
  /**
   * Stops accepting connections at once and resolves once every open one has closed:
   * each closes after its next response, which says `Connection: close`, or by itself
   * once idle for the keep-alive timeout, which its client knows and a proxy beats.
   */
  close: () => Promise<void>;
};

export async function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  { host, port }: { host: string; port: number },
): Promise<Listener> {
  let closing: Promise<void> | undefined;
  const serverOptions = { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, keepAliveTimeoutBuffer: KEEP_ALIVE_MARGIN_MS };
  const server = await new Promise<HttpServer>((resolve, reject) => {
    // Without a createServer option, @hono/node-server's server is node:http's.
    const started = serve({ fetch, hostname: host, port, serverOptions }, () => resolve(started as HttpServer));
    started.once("error", reject);
  });
  // Connections that have not carried a request yet: Node's keep-alive timer starts only after a response.
  const unused = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  // Once closing, every response says `Connection: close`: set before the app's listener
  // runs, or at close() for the ones under way, it is merged into whatever the app answers.
  const unanswered = new Set<ServerResponse>();
  server.prependListener("request", (request, response) => {
    unused.delete(request.socket);
    if (closing) {
      response.setHeader("Connection", "close");
      return;
    }
    unanswered.add(response);
    response.once("close", () => unanswered.delete(response));
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const response of unanswered) if (!response.headersSent) response.setHeader("Connection", "close");
      // A connection opened but never used (a browser's preconnect) is closed once every
      // used one would have timed out.
      const unusedConnectionsTimer = setTimeout(() => {
        for (const socket of unused) socket.destroy();
      }, KEEP_ALIVE_TIMEOUT_MS + KEEP_ALIVE_MARGIN_MS);
      // net.Server's close, not http.Server's: that one also closes the connections idle
      // at this instant, and a request already on its way on one of them would be reset.
      NetServer.prototype.close.call(server, (error) => {
        clearTimeout(unusedConnectionsTimer);
        if (error) reject(error);
        else resolve();
      });
    });
    return closing;
  };
  return { url: `http://${hostname}:${address.port}`, close };
}
