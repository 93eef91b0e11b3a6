// `npm run bench -- --smoke`: the benchmark starts its servers, loads each scenario
// for a second, prints its report and exits 0 (it exits 1 if any request failed).
// It runs on the database the test suite runs on.
// Nothing here is timed: speed targets live in the bench's report, not in tests.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

/** The cells of the Markdown table row whose first cell is `name`. */
function row(report: string, name: string): string[] | undefined {
  const line = report.split("\n").find((candidate) => candidate.startsWith(`| ${name} `));
  return line
    ?.split("|")
    .slice(1, -1)
    .map((cell) => cell.trim());
}

test("the bench's smoke run loads every scenario without a failed request and prints the report", async () => {
  const { stdout } = await run(
    process.execPath,
    ["bench/run.ts", "--smoke", "--database", onPostgres ? "postgres" : "sqlite"],
    {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    },
  );

  expect(stdout).toContain(`### Throughput on ${onPostgres ? "PostgreSQL" : "SQLite"}`);
  for (const scenario of [
    "bare node:http, home page size",
    "GET / (home)",
    "GET a list of 10 items",
    "GET a list of 1,000 items",
    "POST add item (302)",
    "GET My Lists, 100 lists",
  ]) {
    const cells = row(stdout, scenario);
    expect(cells, scenario).toBeDefined();
    // req/s (best) is a positive number, and the errors column says 0.
    expect(Number(cells?.[1]?.replaceAll(",", "")), scenario).toBeGreaterThan(0);
    expect(cells?.[6], scenario).toBe("0");
  }
  expect(stdout).toMatch(/RSS of the app after the load\s+\| [0-9.]+ MB/);
  // The book's Django app is measured beside SQLite where Python, Django and gunicorn are
  // installed; elsewhere the report says why it was not.
  const peerSection = stdout.split("### Against the book's Django app")[1];
  if (peerSection === undefined) {
    expect(stdout).toMatch(/^Django peer skipped: .+\.$/m);
  } else {
    for (const scenario of [
      "GET / (home)",
      "GET a list of 10 items",
      "GET a list of 1,000 items",
      "POST add item (302)",
    ]) {
      // The Django errors column says 0.
      expect(row(peerSection, scenario)?.[7], scenario).toBe("0");
    }
  }
  expect(stdout).toMatch(/RSS increase for 1,000 open list event streams \(one process\)\s+\| -?[0-9.]+ MB/);
  expect(stdout).toMatch(/one change, until all 1,000 streams said refresh\s+\| [0-9,]+ ms/);
}, 180_000);
