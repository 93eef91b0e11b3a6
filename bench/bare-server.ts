// The machine's ceiling: a bare node:http server answering every request with a
// fixed HTML page of the given size. Run as a child process by the bench:
//   node bench/bare-server.ts BYTES
// Like `superlists serve`, it prints a JSON "listening" line with its URL, and exits on SIGTERM.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const bytes = Number(process.argv[2] ?? 3000);
const page = `<!doctype html><html><body>${"x".repeat(Math.max(0, bytes - 40))}</body></html>`;

const server = createServer((_request, response) => {
  response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(page) });
  response.end(page);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${port}` })}\n`);
});
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
