// The server's response class on a real node:http server and raw sockets: responses
// whose ends wait for the end of the event loop's turn still arrive whole, in order,
// and one response that fails to end takes down nothing but its own connection.
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { serverResponseClass } from "../../src/server-response.ts";
import { rawRequest } from "../hardening/support/http-client.ts";

let server: Server | undefined;
let endErrors: Error[] = [];
afterEach(async () => {
  await new Promise((done) => server?.close(done) ?? done(undefined));
  server = undefined;
  endErrors = [];
});

/** A server that answers `/echo/<text>` with `<text>`, and `/bad` with an end that throws. */
async function startEchoServer(closing = false): Promise<string> {
  const ServerResponse = serverResponseClass({
    isClosing: () => closing,
    onEndError: (error) => endErrors.push(error),
  });
  server = createServer({ ServerResponse }, (request, response) => {
    if (request.url === "/bad") {
      response.writeHead(200, { "Content-Type": "text/plain" });
      // Not a string or bytes: node:http throws from end().
      response.end(42 as unknown as string);
      return;
    }
    const text = request.url?.replace("/echo/", "") ?? "";
    response.writeHead(200, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
    response.end(text);
  });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The bodies of the 200 responses in raw HTTP output, in order. */
const bodies = (raw: string) =>
  raw
    .split(/HTTP\/1\.1 200 OK\r\n/)
    .slice(1)
    .map((part) => part.split("\r\n\r\n")[1]);

describe("serverResponseClass", () => {
  test("pipelined requests on one connection get whole responses, in order", async () => {
    const url = await startEchoServer();
    const requests = ["one", "two", "three", "four"].map(
      (text, index, all) =>
        `GET /echo/${text} HTTP/1.1\r\nHost: x\r\n${index === all.length - 1 ? "Connection: close\r\n" : ""}\r\n`,
    );
    const raw = await rawRequest(url, requests.join(""));
    expect(bodies(raw)).toEqual(["one", "two", "three", "four"]);
  });

  test("many connections answered in the same turns each get their own response", async () => {
    const url = await startEchoServer();
    const texts = Array.from({ length: 40 }, (_, index) => `text-${index}`);
    const answers = await Promise.all(
      texts.map((text) => rawRequest(url, `GET /echo/${text} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)),
    );
    expect(answers.map((raw) => bodies(raw)[0])).toEqual(texts);
  });

  test("a response whose end throws closes its own connection and is reported; the server answers the next request", async () => {
    const url = await startEchoServer();
    const { port } = new URL(url);
    const bad = await new Promise<string>((done) => {
      const socket = connect({ host: "127.0.0.1", port: Number(port) }, () =>
        socket.write("GET /bad HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      let received = "";
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
      });
      socket.on("error", () => undefined);
      socket.on("close", () => done(received));
    });
    expect(bad).not.toContain("200 OK");
    expect(endErrors.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(["ERR_INVALID_ARG_TYPE"]);
    expect(bodies(await rawRequest(url, "GET /echo/after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))).toEqual([
      "after",
    ]);
  });

  test("once the server is closing, each response closes its connection", async () => {
    const url = await startEchoServer(true);
    const raw = await rawRequest(url, "GET /echo/last HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(raw).toMatch(/\r\nConnection: close\r\n/i);
    expect(bodies(raw)).toEqual(["last"]);
  });
});
