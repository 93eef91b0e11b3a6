// `npm run bench`: builds the production bundle and load-tests it (`superlists serve` in
// production mode, as the Docker image runs it) on SQLite and on PostgreSQL, against a
// bare node:http server measured the same way in the same run, and prints Markdown tables.
// Beside the SQLite run it measures the book's Django app (bench/django-peer, under gunicorn)
// the same way, where Python, Django and gunicorn are installed (BENCH_PEER_PYTHON: the
// interpreter, default /usr/bin/python3), and says why where they are not.
// The server is pinned to core 0 and the load generator (this process) to core 1, so the
// two do not compete for a core and the figures measure the server's work.
//   npm run bench                          both databases; 2 rounds of 5 s per scenario after a 2 s warm-up
//   npm run bench -- --database sqlite     one database (sqlite or postgres)
//   npm run bench -- --duration 10         seconds per measured run
//   npm run bench -- --workers 2 --no-pin  the app as `serve --workers 2`, nothing pinned
//   npm run bench -- --smoke               1 s per scenario, one round: checks that the bench works
// PostgreSQL: TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test (a fresh
// database is created and dropped). Progress goes to stderr, the report to stdout. Exits 1
// if any request failed.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { buildBundle } from "../scripts/build.ts";
import { imageEnvironment } from "../tests/support/dockerfile.ts";
import { createTestDatabase } from "../tests/support/test-database.ts";
import {
  type DjangoPeer,
  djangoPeerEnv,
  findDjangoPeer,
  gunicornArgs,
  migrateAndSeedDjangoPeer,
  peerSeed,
} from "./django-peer.ts";
import { type DatabaseRun, type PeerRun, renderReport } from "./report.ts";
import { measureRounds } from "./rounds.ts";
import { appScenarios, bareScenario, homeScenario, peerScenarios } from "./scenarios.ts";
import { seed } from "./seed.ts";
import {
  BARE_SERVER,
  CLI,
  LOAD_GENERATOR_CORE,
  pinLoadGenerator,
  SERVER_CORE,
  type ServerProcess,
  startServerProcess,
} from "./server-process.ts";
import { measureStreams } from "./streams.ts";

const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const OWNED_LISTS = 100;
const DATABASES = ["sqlite", "postgres"] as const;

const { values: options } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    database: { type: "string" },
    duration: { type: "string", default: "5" },
    workers: { type: "string", default: "1" },
    "no-pin": { type: "boolean", default: false },
    "node-options": { type: "string" },
  },
});
const settings = options.smoke
  ? { rounds: 1, warmUpSeconds: 0, durationSeconds: 1, startups: 1 }
  : { rounds: 2, warmUpSeconds: 2, durationSeconds: Number(options.duration), startups: 3 };
if (!(settings.durationSeconds > 0)) throw new Error("--duration must be a positive number of seconds");
const databases = options.database === undefined ? DATABASES : DATABASES.filter((kind) => kind === options.database);
if (databases.length === 0) throw new Error("--database takes sqlite or postgres");
const pinned = !options["no-pin"] && availableParallelism() >= 2;
// The app servers run as the Docker image runs them: its heap limits and malloc arenas.
const image = imageEnvironment();
const nodeOptions = options["node-options"] ?? image.get("NODE_OPTIONS");
const mallocArenaMax = image.get("MALLOC_ARENA_MAX");

const began = performance.now();
const progress = (message: string) =>
  process.stderr.write(`bench ${((performance.now() - began) / 1000).toFixed(1)} s: ${message}\n`);

const work = mkdtempSync(join(tmpdir(), "superlists-bench-"));
const servers: ServerProcess[] = [];

async function benchDatabase(kind: (typeof DATABASES)[number], peer: DjangoPeer | undefined): Promise<DatabaseRun> {
  // createTestDatabase picks PostgreSQL from this variable.
  if (kind === "postgres") process.env.TEST_DATABASE_URL ??= DEFAULT_POSTGRES_URL;
  else delete process.env.TEST_DATABASE_URL;
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
  const start = async (name: string, args: string[], extraEnv: Record<string, string> = {}, command?: string) => {
    const server = await startServerProcess({
      command,
      args,
      env: { ...env, ...extraEnv },
      logFile: join(work, `${kind}-${name}.log`),
      core: pinned ? SERVER_CORE : undefined,
    });
    servers.push(server);
    return server;
  };
  try {
    progress(`${kind}: migrating, starting the app and seeding data`);
    // Production mode never creates a database by itself.
    await promisify(execFile)(process.execPath, [CLI, "migrate"], { env: { ...process.env, ...env } });
    const app = await start("app", [CLI, "serve", "--workers", options.workers]);
    const data = await seed(app.url, env, OWNED_LISTS);
    const bare = await start("bare", [BARE_SERVER, String(Buffer.byteLength(data.homePage))], { NODE_OPTIONS: "" });
    const throughput = await measureRounds(appScenarios(app, data), settings, progress, bareScenario(bare));
    const rssBytes = app.rssBytes();
    let peerRun: PeerRun | undefined;
    if (peer) {
      progress(`${kind}: the book's Django app: migrating, seeding and starting it under gunicorn`);
      const peerEnv = djangoPeerEnv(
        join(work, "django-peer.sqlite3"),
        randomBytes(32).toString("hex"),
        options.workers,
      );
      const lists = await migrateAndSeedDjangoPeer(peer, peerEnv);
      const django = await start("django-peer", gunicornArgs(), peerEnv, peer.python);
      const seeded = await peerSeed(django.url, lists);
      peerRun = {
        versions: peer.versions,
        homeBytes: Buffer.byteLength(seeded.homePage),
        throughput: await measureRounds(peerScenarios(django, seeded), settings, progress, bareScenario(bare)),
      };
      await django.stop();
    }
    let metrics: DatabaseRun["metrics"];
    if (kind === "sqlite") {
      progress("metrics cost: GET / with METRICS_PORT set against unset");
      const metered = await start("metered", [CLI, "serve", "--workers", options.workers], { METRICS_PORT: "0" });
      const {
        scenarios: [off, on],
      } = await measureRounds(
        [homeScenario(app), { ...homeScenario(metered), name: "GET / (home), METRICS_PORT set" }],
        settings,
        progress,
        bareScenario(bare),
      );
      metrics = off && on ? { off, on } : undefined;
      await metered.stop();
    }
    await Promise.all([app.stop(), bare.stop()]);
    progress(`${kind}: start-up times`);
    const startups: number[] = [];
    for (let i = 0; i < settings.startups; i++) {
      const server = await start(`startup-${i}`, [CLI, "serve"]);
      startups.push(server.startupMs);
      await server.stop();
    }
    progress(`${kind}: live list streams on one process`);
    const streamsServer = await start("streams", [CLI, "serve"]);
    const streams = await measureStreams(streamsServer.url, streamsServer.rssBytes);
    await streamsServer.stop();
    return {
      kind,
      homeBytes: Buffer.byteLength(data.homePage),
      throughput,
      metrics,
      rssBytes,
      startups,
      peer: peerRun,
      streams,
    };
  } finally {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await database.drop();
  }
}

try {
  if (pinned) pinLoadGenerator();
  progress("building the production bundle (npm run build)");
  await buildBundle();
  const found = await findDjangoPeer();
  const peerSkipped =
    "skipped" in found
      ? found.skipped
      : databases.includes("sqlite")
        ? undefined
        : "it is measured beside the SQLite run, and this run has none";
  if (peerSkipped) progress(`Django peer skipped: ${peerSkipped}`);
  const peer = "skipped" in found || peerSkipped ? undefined : found;
  const runs: DatabaseRun[] = [];
  for (const kind of databases) runs.push(await benchDatabase(kind, kind === "sqlite" ? peer : undefined));
  process.stdout.write(
    renderReport({
      runs,
      settings,
      workers: options.workers,
      pinning: pinned ? { server: SERVER_CORE, loadGenerator: LOAD_GENERATOR_CORE } : undefined,
      nodeOptions,
      mallocArenaMax,
      peerSkipped,
    }),
  );
  const errors = runs
    .flatMap((run) => [
      ...run.throughput.scenarios,
      ...(run.throughput.baseline ? [run.throughput.baseline] : []),
      ...(run.metrics ? [run.metrics.off, run.metrics.on] : []),
      ...(run.peer ? run.peer.throughput.scenarios : []),
    ])
    .reduce((sum, result) => sum + result.errors, 0);
  if (errors > 0) {
    progress(`${errors} requests failed`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(work, { recursive: true, force: true });
}
