// The HTTP listener's shutdown on real sockets: new connections are refused at once,
// yet a connection already open is never closed under a request its client may be
// sending: a request on a kept-alive connection is answered (and told to close the
// connection), an idle one is closed by its keep-alive timeout.
import { connect, type Socket } from "node:net";
import { afterEach, expect, test } from "vitest";
import { KEEP_ALIVE_TIMEOUT_MS, type Listener, listen } from "../../src/runtime/http-listener.ts";

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

test("once the shutdown began, new connections are refused, and a request on a kept-alive connection is answered, with Connection: close", async () => {
  const { url, close } = await startListener();
  const socket = await openSocket(url);
  const first = await get(socket, "/first");
  expect(first).not.toMatch(/\r\nConnection: close\r\n/i);
  const ended = new Promise<void>((resolve) => socket.once("end", resolve));

  const closed = close();
  await expect(openSocket(url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  const second = await get(socket, "/second");
  expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(second).toMatch(/\r\nConnection: close\r\n/i);
  await ended;
  await closed;
});

test("a kept-alive connection that stays idle through the shutdown is closed by its keep-alive timeout, and close() resolves", async () => {
  const { url, close } = await startListener();
  const socket = await openSocket(url);
  expect(await get(socket, "/only")).toMatch(
    new RegExp(`\r\nKeep-Alive: timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}\r\n`, "i"),
  );
  const ended = new Promise<void>((resolve) => socket.once("end", resolve));
  await close();
  await ended;
});

test("a connection opened but never used does not hold the shutdown open", async () => {
  const { url, close } = await startListener();
  const socket = await openSocket(url);
  const ended = new Promise<void>((resolve) => socket.once("end", resolve));
  await close();
  await ended;
});
