// The HTTP listener: serves a fetch handler with @hono/node-server and closes in two
// phases, so that no request already sent on a kept-alive connection is lost.
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { closingResponseClass } from "./closing-response.ts";

/**
 * After a shutdown starts, how long connections stay open and answered (each with
 * `Connection: close`) before the listener closes. Closing at once would close every
 * kept-alive connection that is idle at that instant, and a request its client sent
 * just then, already on the wire, would meet a reset instead of an answer.
 */
const CLOSE_GRACE_MS = 1_000;

export type Listener = {
  /** `http://HOST:PORT` as bound. */
  url: string;
  /** Answers with `Connection: close` for CLOSE_GRACE_MS, then stops accepting and waits for in-flight requests. */
  close: () => Promise<void>;
};

export async function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  { host, port }: { host: string; port: number },
): Promise<Listener> {
  let closing: Promise<void> | undefined;
  const isClosing = () => closing !== undefined;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve(
      { fetch, hostname: host, port, serverOptions: { ServerResponse: closingResponseClass(isClosing) } },
      () => resolve(started),
    );
    started.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const close = () => {
    closing ??= new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS)).then(
      // Node's close() also closes the connections idle by now, and waits for the others.
      () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
    );
    return closing;
  };
  return { url: `http://${hostname}:${address.port}`, close };
}
