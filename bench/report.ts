// The bench's report: one Markdown section per question, targets marked pass/fail.
import { cpus } from "node:os";
import { CONNECTIONS, type RoundSettings, type RoundsResult, type ScenarioResult } from "./rounds.ts";
import type { ScalingRow } from "./scaling.ts";
import { CSS_COMPRESSED_SCENARIO, CSS_IDENTITY_SCENARIO } from "./scenarios.ts";
import { fixed, integer, kilobytes, markdownTable, median, megabytes, verdict } from "./table.ts";

export const STARTUP_TARGET_MS = 300;
export const RSS_TARGET_BYTES = 150 * 1024 * 1024;
/** Linear growth: per-item time may not rise much with size (a quadratic step would multiply it by 10). */
const MAX_PER_ITEM_GROWTH = 2;

export type BenchReport = {
  databaseKind: string;
  /** NODE_OPTIONS the app servers ran with, if any. */
  nodeOptions: string | undefined;
  mallocArenaMax: string | undefined;
  settings: RoundSettings & { startups: number };
  homeBytes: number;
  throughput: RoundsResult;
  logging: { info: ScenarioResult; warn: ScenarioResult; logBytesPerRequest: number };
  metrics: { off: ScenarioResult; on: ScenarioResult };
  rssBytes: number;
  /** Process start → first successful GET /: wall-clock and CPU time. */
  startups: { wallMs: number; cpuMs: number }[];
  /** Sequential add-item commits per second (SQLite only). */
  sync: { normal: number; full: number } | undefined;
  scaling: ScalingRow[];
};

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

function compressionTable(results: ScenarioResult[]): string {
  const rows = [CSS_IDENTITY_SCENARIO, CSS_COMPRESSED_SCENARIO].flatMap((name) => {
    const result = results.find((candidate) => candidate.scenario.name === name);
    return result ? [[name, kilobytes(result.best.bytesPerResponse), integer(result.best.requestsPerSecond)]] : [];
  });
  return markdownTable(["Bootstrap CSS request", "bytes per response (on the wire)", "req/s"], rows);
}

function loggingTable({ info, warn, logBytesPerRequest }: BenchReport["logging"]): string {
  const cost = 1 - info.best.requestsPerSecond / warn.best.requestsPerSecond;
  const row = (label: string, { best, runs, errors }: ScenarioResult) => [
    label,
    integer(best.requestsPerSecond),
    runs.map((run) => integer(run.requestsPerSecond)).join(" / "),
    fixed(best.p50Ms, 2),
    fixed(best.p99Ms, 2),
    String(errors),
  ];
  const table = markdownTable(
    ["GET / (home)", "req/s (best)", "req/s per run", "p50 ms", "p99 ms", "errors"],
    [row("LOG_LEVEL=info (a line per request)", info), row("LOG_LEVEL=warn (no request lines)", warn)],
  );
  return (
    `${table}\n\nRequest logging costs ${fixed(cost * 100, 0)} % of GET / throughput; ` +
    `a request's log line is about ${integer(logBytesPerRequest)} bytes.`
  );
}

function metricsTable({ off, on }: BenchReport["metrics"]): string {
  const cost = 1 - on.best.requestsPerSecond / off.best.requestsPerSecond;
  const row = (label: string, { best, runs, errors }: ScenarioResult) => [
    label,
    integer(best.requestsPerSecond),
    runs.map((run) => integer(run.requestsPerSecond)).join(" / "),
    fixed(best.p50Ms, 2),
    fixed(best.p99Ms, 2),
    String(errors),
  ];
  const table = markdownTable(
    ["GET / (home)", "req/s (best)", "req/s per run", "p50 ms", "p99 ms", "errors"],
    [row("metrics off (no METRICS_PORT)", off), row("metrics on (METRICS_PORT set)", on)],
  );
  return `${table}\n\nPrometheus metrics cost ${fixed(cost * 100, 1)} % of GET / throughput (target: under 5 %).`;
}

function scalingTable(rows: ScalingRow[]): string {
  const table = markdownTable(
    ["items in the list", "median ms per page", "µs per item", "SQL queries per page"],
    rows.map((row) => [integer(row.items), fixed(row.medianMs, 2), fixed(row.perItemUs, 2), String(row.queries)]),
  );
  const constantQueries = new Set(rows.map((row) => row.queries)).size === 1;
  const largest = rows.at(-1);
  const previous = rows.at(-2);
  const linear = largest && previous ? largest.perItemUs <= previous.perItemUs * MAX_PER_ITEM_GROWTH : true;
  return [
    table,
    "",
    `- SQL queries per page constant: ${verdict(constantQueries)}`,
    `- Linear (µs per item at ${integer(largest?.items ?? 0)} items ≤ ${MAX_PER_ITEM_GROWTH}× that at ` +
      `${integer(previous?.items ?? 0)}): ${verdict(linear)}`,
  ].join("\n");
}

function resourcesTable(report: BenchReport): string {
  const startup = median(report.startups.map((run) => run.wallMs));
  const startupCpu = median(report.startups.map((run) => run.cpuMs));
  return markdownTable(
    ["measure", "value", "target", "result"],
    [
      [
        `start-up: process start → first 200 for GET /, median of ${report.startups.length}`,
        `${integer(startup)} ms (${report.startups.map((run) => integer(run.wallMs)).join(", ")}); ` +
          `CPU ${integer(startupCpu)} ms`,
        `< ${STARTUP_TARGET_MS} ms`,
        verdict(startup < STARTUP_TARGET_MS),
      ],
      [
        "server RSS after the load",
        megabytes(report.rssBytes),
        `< ${megabytes(RSS_TARGET_BYTES)}`,
        verdict(report.rssBytes < RSS_TARGET_BYTES),
      ],
    ],
  );
}

function syncTable(sync: NonNullable<BenchReport["sync"]>): string {
  return markdownTable(
    ["SQLite synchronous", "sequential add-item commits/s"],
    [
      ["NORMAL (the app's setting, WAL)", integer(sync.normal)],
      ["FULL (fsync on every commit)", integer(sync.full)],
    ],
  );
}

export function renderReport(report: BenchReport): string {
  const { settings } = report;
  const cpu = cpus();
  const sections = [
    `## Superlists bench — ${report.databaseKind}`,
    [
      `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? "CPU"} · ` +
        `${CONNECTIONS} connections · ${settings.rounds} round(s) of ${settings.durationSeconds} s per scenario` +
        (settings.warmUpSeconds > 0 ? ` after a ${settings.warmUpSeconds} s warm-up` : "") +
        ` · home page ${kilobytes(report.homeBytes)}` +
        (report.nodeOptions ? ` · app servers with NODE_OPTIONS=${report.nodeOptions}` : "") +
        (report.mallocArenaMax ? ` MALLOC_ARENA_MAX=${report.mallocArenaMax}` : ""),
      "The load generator, the servers and anything else running share the same cores: absolute numbers " +
        "are noisy, so targets are ratios to the bare node:http server: each run of a scenario follows a run of the bare " +
        "server, and × bare is the median over the rounds of the ratio within each pair. " +
        "Server CPU per request (from /proc) moves less with the noise than req/s does.",
    ].join("\n"),
    "### Throughput (production mode, LOG_LEVEL=info)",
    throughputTable(report.throughput),
    "### Static files: compression",
    compressionTable(report.throughput.scenarios),
    "### Cost of request logging",
    loggingTable(report.logging),
    "### Cost of Prometheus metrics",
    metricsTable(report.metrics),
    "### List page scaling (in process, logged-in owner, shared list)",
    scalingTable(report.scaling),
    "### Start-up and memory",
    resourcesTable(report),
    ...(report.sync ? ["### SQLite durability setting", syncTable(report.sync)] : []),
  ];
  return `${sections.join("\n\n")}\n`;
}
