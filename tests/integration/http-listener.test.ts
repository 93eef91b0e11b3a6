// The HTTP listener's shutdown on real sockets: a request sent on a kept-alive
// connection just as the shutdown starts is answered (and told to close the
// connection), and new connections are refused only once the listener has closed.
import { connect, type Socket } from "node:net";
import { afterEach, expect, test } from "vitest";
import { type Listener, listen } from "../../src/runtime/http-listener.ts";

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function startListener(): Promise<Listener> {
  listener = await listen((request) => new Response(`you asked for ${new URL(request.url).pathname}`), {
    host: "127.0.0.1",
    port: 0,
  });
  return listener;
}

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Writes a GET on the socket and resolves with the raw response once it is whole. */
function get(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      const body = `you asked for ${path}`;
      if (received.endsWith(body)) {
        socket.off("data", onData);
        resolve(received);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
}

test("a request on a kept-alive connection that was idle when the shutdown began is answered, with Connection: close", async () => {
  const { url, close } = await startListener();
  const socket = await openSocket(url);
  const first = await get(socket, "/first");
  expect(first).not.toMatch(/\r\nConnection: close\r\n/i);
  const ended = new Promise<void>((resolve) => socket.once("end", resolve));

  const closed = close();
  const second = await get(socket, "/second");
  expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(second).toMatch(/\r\nConnection: close\r\n/i);
  await ended;
  await closed;
  await expect(openSocket(url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
});

test("a connection that stays idle through the shutdown is closed, and close() resolves", async () => {
  const { url, close } = await startListener();
  const socket = await openSocket(url);
  await get(socket, "/only");
  const ended = new Promise<void>((resolve) => socket.once("end", resolve));
  await close();
  await ended;
});
