// The bench's report: one Markdown section per question, targets marked pass/fail.
import { cpus } from "node:os";
import { CONNECTIONS, type RoundSettings, type RoundsResult, type ScenarioResult } from "./rounds.ts";
import { LIST_OF_10_SCENARIO, type PeerScenario } from "./scenarios.ts";
import { STREAMS_FAN_OUT_TARGET_MS, STREAMS_RSS_TARGET_BYTES, type StreamsResult } from "./streams.ts";
import { fixed, integer, kilobytes, markdownTable, median, megabytes, verdict } from "./table.ts";

export const STARTUP_TARGET_MS = 300;
export const RSS_TARGET_BYTES = 150 * 1024 * 1024;
/** PostgreSQL's list of 10 against SQLite's, each as a fraction of its own bare run. */
const POSTGRES_LIST_TARGET = 0.5;
/** What Prometheus metrics may cost GET /. */
const METRICS_COST_TARGET = 0.05;

/** The book's Django app measured beside a run of ours, on the same core, against the same bare server. */
export type PeerRun = {
  versions: string;
  homeBytes: number;
  throughput: RoundsResult<PeerScenario>;
};

export type DatabaseRun = {
  kind: "sqlite" | "postgres";
  homeBytes: number;
  throughput: RoundsResult;
  /** GET / without and with METRICS_PORT set (SQLite only). */
  metrics: { off: ScenarioResult; on: ScenarioResult } | undefined;
  /** Of the app's processes, after the load. */
  rssBytes: number;
  /** Process start → first successful GET /, in ms. */
  startups: number[];
  peer: PeerRun | undefined;
  /** Live list streams open on one process: their memory, and one change's time to reach them all. */
  streams: StreamsResult;
};

export type BenchReport = {
  runs: DatabaseRun[];
  settings: RoundSettings & { startups: number };
  workers: string;
  pinning: { server: number; loadGenerator: number } | undefined;
  nodeOptions: string | undefined;
  mallocArenaMax: string | undefined;
  /** Why the Django peer was not measured, if it was not. */
  peerSkipped: string | undefined;
};

const DATABASE_NAMES = { sqlite: "SQLite", postgres: "PostgreSQL" };

function throughputTable({ scenarios, baseline }: RoundsResult): string {
  const results = baseline ? [baseline, ...scenarios] : scenarios;
  const rows = results.map(({ scenario, best, runs, errors, ratios }) => {
    const ratio = median(ratios);
    const target = scenario.target;
    return [
      scenario.name,
      integer(best.requestsPerSecond),
      runs.map((run) => integer(run.requestsPerSecond)).join(" / "),
      fixed(best.p50Ms, 2),
      fixed(best.p99Ms, 2),
      integer(best.serverCpuUs),
      String(errors),
      scenario === baseline?.scenario ? "1" : fixed(ratio, 2),
      target === undefined ? "" : `≥ ${target}`,
      target === undefined ? (errors === 0 ? "" : verdict(false)) : verdict(ratio >= target && errors === 0),
    ];
  });
  return markdownTable(
    [
      "scenario",
      "req/s (best)",
      "req/s per run",
      "p50 ms",
      "p99 ms",
      "server CPU µs/req",
      "errors",
      "× bare (paired)",
      "target",
      "result",
    ],
    rows,
  );
}

/** CPU per request over a scenario's runs: the per-core cost, whatever share of the core the server got. */
function cpuPerRequest(result: ScenarioResult | undefined): number {
  return median(result?.runs.map((run) => run.serverCpuUs) ?? []);
}

function peerTable(run: DatabaseRun, peer: PeerRun): string {
  const rows = peer.throughput.scenarios.map((django) => {
    const { scenario } = django;
    const ours = run.throughput.scenarios.find((result) => result.scenario.name === scenario.ours);
    const perCore = cpuPerRequest(django) / cpuPerRequest(ours);
    return [
      scenario.ours,
      integer(cpuPerRequest(ours)),
      integer(cpuPerRequest(django)),
      fixed(perCore, 1),
      integer(ours?.best.requestsPerSecond ?? Number.NaN),
      integer(django.best.requestsPerSecond),
      fixed(median(ours?.ratios ?? []) / median(django.ratios), 1),
      String(django.errors),
      `≥ ${scenario.minimumRatio}`,
      verdict(perCore >= scenario.minimumRatio && django.errors === 0 && ours?.errors === 0),
    ];
  });
  return markdownTable(
    [
      "scenario",
      "ours CPU µs/req",
      "Django CPU µs/req",
      "ours ÷ Django per core",
      "ours req/s (best)",
      "Django req/s (best)",
      "ours ÷ Django, req/s (× bare each)",
      "Django errors",
      "target",
      "result",
    ],
    rows,
  );
}

function peerSections(report: BenchReport): string[] {
  if (report.peerSkipped !== undefined) return [`Django peer skipped: ${report.peerSkipped}.`];
  return report.runs.flatMap((run) => {
    const { peer } = run;
    if (!peer) return [];
    const workers = `${report.workers} sync worker${report.workers === "1" ? "" : "s"}`;
    return [
      `### Against the book's Django app on ${DATABASE_NAMES[run.kind]} (${peer.versions}; gunicorn, ${workers})`,
      [
        `bench/django-peer: the book's app's shape (lists and accounts, CSRF on, DEBUG off, no access log, as the book ` +
          `deploys it), its home page ${kilobytes(peer.homeBytes)} against our ${kilobytes(run.homeBytes)}, ` +
          `measured after ours against the same bare server${report.pinning ? ", on the same core as ours" : ""}; ` +
          "its sync workers close the connection after every response, so each request also opens one.",
        "ours ÷ Django per core is Django's server CPU per request over ours (medians over the runs): how many of our " +
          "requests a core serves for each of Django's, whatever share of the core each server got. The targets are " +
          "on it. The req/s ratio (each scenario's × bare, paired with its own bare run) also counts the time a " +
          "server waits: Django keeps SQLite's defaults, as the book does (rollback journal, synchronous=FULL: a " +
          "commit waits for the disk), where ours runs WAL with synchronous=NORMAL.",
      ].join("\n"),
      peerTable(run, peer),
    ];
  });
}

function listOf10Ratio(run: DatabaseRun | undefined): number {
  return median(run?.throughput.scenarios.find((result) => result.scenario.name === LIST_OF_10_SCENARIO)?.ratios ?? []);
}

function resourcesTable(report: BenchReport): string {
  const rows = report.runs.flatMap((run) => {
    const name = DATABASE_NAMES[run.kind];
    const startup = median(run.startups);
    return [
      [
        `${name}: start-up, process start → first 200 for GET / (median of ${run.startups.length})`,
        `${integer(startup)} ms`,
        `< ${STARTUP_TARGET_MS} ms`,
        verdict(startup < STARTUP_TARGET_MS),
      ],
      [
        `${name}: RSS of the app after the load${report.workers === "1" ? "" : ` (${report.workers} workers and their primary)`}`,
        megabytes(run.rssBytes),
        `< ${megabytes(RSS_TARGET_BYTES)}`,
        report.workers === "1" ? verdict(run.rssBytes < RSS_TARGET_BYTES) : "",
      ],
      [
        `${name}: RSS increase for ${integer(run.streams.streams)} open list event streams (one process)`,
        megabytes(run.streams.rssIncreaseBytes),
        `≤ ${megabytes(STREAMS_RSS_TARGET_BYTES)}`,
        verdict(run.streams.rssIncreaseBytes <= STREAMS_RSS_TARGET_BYTES),
      ],
      [
        `${name}: one change, until all ${integer(run.streams.streams)} streams said refresh`,
        `${integer(run.streams.fanOutMs)} ms`,
        `≤ ${integer(STREAMS_FAN_OUT_TARGET_MS)} ms`,
        verdict(run.streams.fanOutMs <= STREAMS_FAN_OUT_TARGET_MS),
      ],
    ];
  });
  for (const run of report.runs) {
    if (!run.metrics) continue;
    const cost = 1 - median(run.metrics.on.ratios) / median(run.metrics.off.ratios);
    rows.push([
      "Prometheus metrics (METRICS_PORT set): cost to GET / (× bare, paired)",
      `${fixed(cost * 100, 1)} %`,
      `< ${METRICS_COST_TARGET * 100} %`,
      verdict(cost < METRICS_COST_TARGET),
    ]);
  }
  const sqlite = report.runs.find((run) => run.kind === "sqlite");
  const postgres = report.runs.find((run) => run.kind === "postgres");
  if (sqlite && postgres) {
    const ratio = listOf10Ratio(postgres) / listOf10Ratio(sqlite);
    rows.push([
      "PostgreSQL list of 10 against SQLite's (× bare each)",
      fixed(ratio, 2),
      `≥ ${POSTGRES_LIST_TARGET}`,
      verdict(ratio >= POSTGRES_LIST_TARGET),
    ]);
  }
  return markdownTable(["measure", "value", "target", "result"], rows);
}

export function renderReport(report: BenchReport): string {
  const { settings, pinning } = report;
  const cpu = cpus();
  const sections = [
    "## Superlists bench",
    [
      `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? "CPU"} · ` +
        `${CONNECTIONS} connections · ${settings.rounds} round(s) of ${settings.durationSeconds} s per scenario` +
        (settings.warmUpSeconds > 0 ? ` after a ${settings.warmUpSeconds} s warm-up` : "") +
        (report.workers === "1" ? "" : ` · serve --workers ${report.workers}`) +
        (report.nodeOptions ? ` · app servers with NODE_OPTIONS=${report.nodeOptions}` : "") +
        (report.mallocArenaMax ? ` MALLOC_ARENA_MAX=${report.mallocArenaMax}` : ""),
      pinning
        ? `Pinned with taskset: every server on core ${pinning.server}, the load generator on core ${pinning.loadGenerator}. `
        : "Not pinned: the servers and the load generator share the cores. ",
      "Targets are ratios to the bare node:http server answering a page the size of the home page, whatever the scenario: " +
        "each run of a scenario " +
        "follows a run of the bare server, and × bare is the median over the rounds of the ratio within each pair. " +
        "Server CPU per request is read from /proc.",
    ].join("\n"),
    ...report.runs.flatMap((run) => [
      `### Throughput on ${DATABASE_NAMES[run.kind]} (production mode, LOG_LEVEL=info, home page ${kilobytes(run.homeBytes)})`,
      throughputTable(run.throughput),
    ]),
    ...peerSections(report),
    "### Start-up, memory, metrics, PostgreSQL against SQLite",
    resourcesTable(report),
  ];
  return `${sections.join("\n\n")}\n`;
}
