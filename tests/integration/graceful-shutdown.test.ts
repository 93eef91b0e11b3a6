// SIGTERM/SIGINT on a real `superlists serve` process: it stops accepting
// connections, finishes the request in flight, closes the database, exits 0.
import { existsSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { expect, test } from "vitest";
import { parseDatabaseUrl } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { listItems } from "../../src/lists/list-store.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";

const running = serverOnTestDatabase("each");

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** "connected", or the error code of a new connection's attempt. */
function connectOutcome(url: string): Promise<string> {
  return openSocket(url).then(
    (socket) => {
      socket.destroy();
      return "connected";
    },
    (error: NodeJS.ErrnoException) => error.code ?? String(error),
  );
}

/** Everything the socket receives until the server closes the connection. */
function receivedUntilClosed(socket: Socket): Promise<string> {
  let received = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    received += chunk;
  });
  return new Promise((resolve) => socket.once("end", () => resolve(received)));
}

const shutDownCleanly = (line: { msg?: string }) => line.msg === "shut down cleanly";

test("a request in flight when SIGTERM arrives is answered; new connections are refused; exit 0", async () => {
  const { server, database: testDatabase } = running();
  const home = await fetch(`${server.url}/`);
  const csrfCookie = home.headers.getSetCookie()[0]?.split(";")[0] ?? "";
  const body = `csrf_token=${csrfCookie.split("=")[1]}&text=${encodeURIComponent("Finish me before you go")}`;

  // The headers go first and the server confirms it is handling the request
  // (100 Continue); the body follows only after the signal.
  const socket = await openSocket(server.url);
  const interim = new Promise<string>((resolve) => socket.once("data", (chunk) => resolve(String(chunk))));
  socket.write(
    [
      "POST /lists/new HTTP/1.1",
      `Host: ${new URL(server.url).host}`,
      `Cookie: ${csrfCookie}`,
      "Content-Type: application/x-www-form-urlencoded",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Expect: 100-continue",
      "",
      "",
    ].join("\r\n"),
  );
  expect(await interim).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
  const response = receivedUntilClosed(socket);

  server.child.kill("SIGTERM");
  await server.waitForLog((line) => line.msg === "shutting down: finishing in-flight requests");
  // Polled: the log line is written just before the listener closes, and this process may read it in between.
  await expect.poll(() => connectOutcome(server.url), { timeout: 10_000 }).toBe("ECONNREFUSED");
  expect(server.logLines().some(shutDownCleanly)).toBe(false);

  // write, not end: Node drops a request whose client half-closes the connection.
  socket.write(body);
  const answer = await response;
  expect(answer).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
  // Said so that a client reusing connections does not hold the shutdown open.
  expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  const location = answer.match(/\r\nLocation: (\/lists\/[0-9a-f]{32}\/)\r\n/i)?.[1];
  expect(location).toBeDefined();

  expect(await server.exited).toBe(0);
  expect(server.logLines().some(shutDownCleanly)).toBe(true);

  const target = parseDatabaseUrl(testDatabase.url);
  // SQLite deletes the write-ahead log when the last connection closes cleanly.
  if (target.kind === "sqlite") expect(existsSync(`${target.path}-wal`)).toBe(false);
  const database = openDatabase(target);
  try {
    const listId = location?.split("/")[2] ?? "";
    expect(await listItems(database.db, listId)).toEqual(["Finish me before you go"]);
  } finally {
    await database.db.destroy();
  }
});

test.each(["SIGTERM", "SIGINT"] as const)(
  "%s with a kept-alive connection open: the connection is closed, exit 0",
  async (signal) => {
    const { server } = running();
    const socket = await openSocket(server.url);
    const closed = receivedUntilClosed(socket);
    socket.write(`GET /healthz HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n\r\n`);
    await server.waitForLog((line) => line.path === "/healthz");

    server.child.kill(signal);
    expect(await closed).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(await server.exited).toBe(0);
    expect(server.logLines()).toContainEqual(expect.objectContaining({ signal }));
    expect(server.logLines().some(shutDownCleanly)).toBe(true);
  },
);
