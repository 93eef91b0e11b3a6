// `serve --workers 2` when a worker dies (killed, out of memory) and the primary
// replaces it: the primary's /metrics keeps answering every scrape, and a SIGTERM
// afterwards still ends with exit 0, which is how the deploy playbook checks that the
// old release stopped cleanly.
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type LogLine, type ServerProcess, SUPERLISTS_CLI, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/** How long a scrape may take: well under Prometheus' own timeout, and what the operator's check allows. */
const SCRAPE_DEADLINE_MS = 2_000;

let testDatabase: TestDatabase;
let server: ServerProcess;
let metricsUrl: string;

beforeEach(async () => {
  testDatabase = await createTestDatabase();
  server = await startServerProcess(
    { SUPERLISTS_ENV: "test", DATABASE_URL: testDatabase.url, EMAIL_BACKEND: "memory", METRICS_PORT: "0" },
    [...SUPERLISTS_CLI, "serve", "--workers", "2"],
  );
  metricsUrl = String((await server.waitForLog((line) => line.msg === "metrics listening")).url);
  await waitForListeningWorkers(2);
});
afterEach(async () => {
  await server?.stop();
  await testDatabase?.drop();
});

const isListening = (line: LogLine) => line.msg === "listening";

async function waitForListeningWorkers(count: number): Promise<void> {
  await expect
    .poll(() => server.logLines().filter(isListening).length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(count);
}

/** The primary's worker processes. */
function workerPids(): number[] {
  const listed = execFileSync("pgrep", ["-P", String(server.child.pid)], { encoding: "utf8" });
  return listed.split("\n").filter(Boolean).map(Number);
}

function killAWorker(): number {
  const [pid] = workerPids();
  if (pid === undefined) throw new Error("the primary has no worker");
  process.kill(pid, "SIGKILL");
  return pid;
}

async function scrape(): Promise<number | string> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(SCRAPE_DEADLINE_MS) });
    await response.text();
    return response.status;
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
}

test("every scrape of the primary's /metrics answers while a worker is killed and replaced", async () => {
  const outcomes: (number | string)[] = [];
  // One scrape under way as the worker dies; then scrapes one after the other until the
  // replacement listens, and a few more.
  const [during] = await Promise.all([scrape(), Promise.resolve().then(killAWorker)]);
  outcomes.push(during);
  while (server.logLines().filter(isListening).length < 3) outcomes.push(await scrape());
  for (let i = 0; i < 3; i++) outcomes.push(await scrape());
  expect(
    outcomes.every((outcome) => outcome === 200),
    `scrape outcomes: ${outcomes.join(", ")}`,
  ).toBe(true);
});

test("SIGTERM after a worker was killed and replaced: every live worker stops cleanly, exit 0", async () => {
  const killed = killAWorker();
  await server.waitForLog((line) => line.msg === "a worker died; starting another" && line.pid === killed);
  await waitForListeningWorkers(3);

  expect(await server.stop()).toBe(0);
  expect(server.logLines()).toContainEqual(expect.objectContaining({ msg: "all workers stopped" }));
});
