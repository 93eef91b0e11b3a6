// SIGTERM while clients keep connections alive and send requests back to back: every
// request sent on a connection the server has accepted is answered (the ones answered
// after the signal with `Connection: close`), and new connections are refused before a
// request is sent on them (ECONNREFUSED, which a proxy retries elsewhere). A reset after
// a request was sent is what a proxy turns into a 502, a POST's lost. One process and
// `--workers 2`; the server exits 0 either way.
import { Agent, request } from "node:http";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type LogLine, type ServerProcess, SUPERLISTS_CLI, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const CONNECTIONS = 8;
/** Requests answered before the signal: every connection busy and kept alive by then. */
const REQUESTS_BEFORE_SIGNAL = 400;

type Tally = { answered: number; refused: number; reset: string[] };
type Outcome = "answered" | "refused" | { reset: string };

let testDatabase: TestDatabase;
let server: ServerProcess | undefined;

beforeEach(async () => {
  testDatabase = await createTestDatabase();
});
afterEach(async () => {
  await server?.stop();
  await testDatabase.drop();
  server = undefined;
});

/** One GET through `agent`, which keeps connections alive; a reset says whether the connection had carried requests before. */
function get(url: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const sent = request(`${url}/healthz`, { agent }, (response) => {
      response.resume();
      response.once("end", () => resolve("answered"));
    });
    sent.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") resolve("refused");
      else
        resolve({
          reset: `${error.code ?? error.message} on a ${sent.reusedSocket ? "kept-alive" : "new"} connection`,
        });
    });
    sent.end();
  });
}

/**
 * CONNECTIONS clients sending requests back to back; SIGTERM once REQUESTS_BEFORE_SIGNAL
 * were answered; each client stops at its first refusal (the server has stopped listening).
 */
async function loadAcrossSigterm(running: ServerProcess): Promise<Tally> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const tally: Tally = { answered: 0, refused: 0, reset: [] };
  let signalled = false;
  const client = async () => {
    for (;;) {
      const outcome = await get(running.url, agent);
      if (outcome === "answered") tally.answered++;
      else if (outcome === "refused") {
        tally.refused++;
        return;
      } else tally.reset.push(outcome.reset);
      if (!signalled && tally.answered >= REQUESTS_BEFORE_SIGNAL) {
        signalled = true;
        running.child.kill("SIGTERM");
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, client));
  agent.destroy();
  return tally;
}

const env = () => ({
  SUPERLISTS_ENV: "test",
  DATABASE_URL: testDatabase.url,
  EMAIL_BACKEND: "memory",
});
const listening = (line: LogLine) => line.msg === "listening";

describe("SIGTERM under keep-alive load: no request sent is reset", () => {
  test("one process", async () => {
    server = await startServerProcess(env());
    const tally = await loadAcrossSigterm(server);
    expect(tally.reset, JSON.stringify(tally)).toEqual([]);
    expect(tally.refused).toBe(CONNECTIONS);
    expect(await server.exited).toBe(0);
  });

  // Here the primary holds the port and hands each new connection to a worker. A client
  // told `Connection: close` by the first worker to stop reconnects, to the other; a
  // connection still being handed over when that one stops too is closed by the primary
  // (node:cluster's doing, a few in some stops under this load). Behind the deploy's
  // proxy no new connection comes: it has switched to the new release before the signal.
  test("--workers 2: none on a kept-alive connection", async () => {
    server = await startServerProcess(env(), [...SUPERLISTS_CLI, "serve", "--workers", "2"]);
    await expect.poll(() => server?.logLines().filter(listening).length, { timeout: 30_000 }).toBe(2);
    const tally = await loadAcrossSigterm(server);
    expect(
      tally.reset.filter((reset) => reset.includes("kept-alive")),
      JSON.stringify(tally),
    ).toEqual([]);
    expect(tally.refused).toBe(CONNECTIONS);
    expect(await server.exited).toBe(0);
  });
});
