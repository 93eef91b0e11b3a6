// `npm run bench`: builds the production bundle, load-tests it (`superlists serve` in
// production mode) against a bare node:http server on the same machine and prints the results as Markdown tables.
//   npm run bench                          SQLite; 2 rounds of 5 s per scenario after a 2 s warm-up
//   npm run bench -- --postgres            the same on a fresh PostgreSQL database, dropped after
//                                          (server: TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
//   npm run bench -- --duration 10         seconds per measured run
//   npm run bench -- --node-options="..."  NODE_OPTIONS for the app servers instead of the Docker image's
//   npm run bench -- --smoke               1 s per scenario, one round: checks that the bench works
// Progress goes to stderr, the report to stdout. Exits 1 if any request failed.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBundle } from "../scripts/build.ts";
import { imageEnvironment } from "../tests/support/dockerfile.ts";
import { createTestDatabase } from "../tests/support/test-database.ts";
import { type BenchReport, renderReport } from "./report.ts";
import { measureRounds } from "./rounds.ts";
import { measureScaling } from "./scaling.ts";
import { appScenarios, bareScenario, homeScenario } from "./scenarios.ts";
import { seed } from "./seed.ts";
import { BARE_SERVER, CLI, freePort, type ServerProcess, startServerProcess } from "./server-process.ts";
import { addItemCommitsPerSecond } from "./sqlite-sync.ts";

const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const OWNED_LISTS = 100;
const SCALING_SIZES = [10, 1_000, 10_000];

const { values: options } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    duration: { type: "string", default: "5" },
    "node-options": { type: "string" },
  },
});
const settings = options.smoke
  ? { rounds: 1, warmUpSeconds: 0, durationSeconds: 1, startups: 1, scalingMs: 100, syncMs: 300 }
  : {
      rounds: 2,
      warmUpSeconds: 2,
      durationSeconds: Number(options.duration),
      startups: 5,
      scalingMs: 2000,
      syncMs: 3000,
    };
if (!(settings.durationSeconds > 0)) throw new Error("--duration must be a positive number of seconds");
// The app servers run as the Docker image runs them: its heap limits and malloc arenas.
const image = imageEnvironment();
const nodeOptions = options["node-options"] ?? image.get("NODE_OPTIONS");
const mallocArenaMax = image.get("MALLOC_ARENA_MAX");

const began = performance.now();
const progress = (message: string) =>
  process.stderr.write(`bench ${((performance.now() - began) / 1000).toFixed(1)} s: ${message}\n`);

// createTestDatabase (and the in-process scaling app) pick PostgreSQL from this variable.
if (options.postgres) process.env.TEST_DATABASE_URL ??= DEFAULT_POSTGRES_URL;
else delete process.env.TEST_DATABASE_URL;

const work = mkdtempSync(join(tmpdir(), "superlists-bench-"));
const database = await createTestDatabase();
const env: Record<string, string> = {
  // Production mode; staging still lets create-session log in @example.com addresses.
  SUPERLISTS_ENV: "staging",
  SECRET_KEY: randomBytes(32).toString("base64url"),
  ALLOWED_HOSTS: "127.0.0.1",
  DATABASE_URL: database.url,
  EMAIL_BACKEND: "file",
  EMAIL_FILE_DIR: join(work, "emails"),
  // Every request logs a line at info, as in production.
  LOG_LEVEL: "info",
  // The add-item scenario grows one list by tens of thousands of items.
  MAX_ITEMS_PER_LIST: "1000000",
  ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  ...(mallocArenaMax ? { MALLOC_ARENA_MAX: mallocArenaMax } : {}),
};
const servers: ServerProcess[] = [];
async function start(name: string, args: string[], extraEnv: Record<string, string> = {}, port?: number) {
  const server = await startServerProcess({
    args,
    env: { ...env, ...extraEnv },
    logFile: join(work, `${name}.log`),
    port,
  });
  servers.push(server);
  return server;
}
const appServer = (name: string, extraEnv: Record<string, string> = {}, port?: number) =>
  start(name, [CLI, "serve"], extraEnv, port);

try {
  progress("building the production bundle (npm run build)");
  await buildBundle();
  progress(`starting the app (${options.postgres ? "PostgreSQL" : "SQLite"}) and seeding data`);
  const app = await appServer("app");
  const data = await seed(app.url, env, OWNED_LISTS);
  const homeBytes = Buffer.byteLength(data.homePage);
  const bare = await start("bare", [BARE_SERVER, String(homeBytes)], { NODE_OPTIONS: "" });

  const throughput = await measureRounds(appScenarios(app, data), settings, progress, bareScenario(bare));
  const rssBytes = app.rssBytes();
  const requestLines = app
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{") && line.endsWith("}") && line.includes('"durationMs"'));
  const logBytesPerRequest = requestLines.reduce((sum, line) => sum + line.length + 1, 0) / requestLines.length;

  progress("logging cost: GET / with LOG_LEVEL=info against LOG_LEVEL=warn");
  // Without its "listening" line (an info line) the quiet server's URL is known beforehand.
  const quiet = await appServer("quiet", { LOG_LEVEL: "warn" }, await freePort());
  const {
    scenarios: [info, warn],
  } = await measureRounds(
    [homeScenario(app), { ...homeScenario(quiet), name: "GET / (home), LOG_LEVEL=warn" }],
    settings,
    progress,
  );
  if (!info || !warn) throw new Error("the logging comparison measured nothing");
  for (const server of [quiet, bare, app]) await server.stop();

  progress("start-up times");
  const startups: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < settings.startups; i++) {
    const server = await appServer(`startup-${i}`);
    startups.push({ wallMs: server.startupMs, cpuMs: server.startupCpuMs });
    await server.stop();
  }

  const sync = options.postgres
    ? undefined
    : {
        normal: await addItemCommitsPerSecond("NORMAL", settings.syncMs),
        full: await addItemCommitsPerSecond("FULL", settings.syncMs),
      };

  progress("list page scaling (in process)");
  const scaling = await measureScaling(SCALING_SIZES, settings.scalingMs);

  const report: BenchReport = {
    databaseKind: options.postgres ? "PostgreSQL" : "SQLite",
    nodeOptions,
    mallocArenaMax,
    settings,
    homeBytes,
    throughput,
    logging: { info, warn, logBytesPerRequest },
    rssBytes,
    startups,
    sync,
    scaling,
  };
  process.stdout.write(renderReport(report));
  const errors = [...throughput.scenarios, ...(throughput.baseline ? [throughput.baseline] : []), info, warn].reduce(
    (sum, result) => sum + result.errors,
    0,
  );
  if (errors > 0) {
    progress(`${errors} requests failed`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}
