// Runs scenarios in interleaved rounds (every scenario once per round) so a burst
// of noise from elsewhere on the machine hits all of them alike; keeps each
// scenario's best run. With a baseline, every run of a scenario comes right after a
// run of the baseline, and the scenario's ratio to the baseline is taken pair by
// pair: this machine's speed drifts by half within a minute, and a ratio between
// runs far apart measured the drift as much as the app.
import { type LoadResult, runLoad } from "./load.ts";
import type { Scenario } from "./scenarios.ts";

export const CONNECTIONS = 32;

export type RoundSettings = { rounds: number; warmUpSeconds: number; durationSeconds: number };

export type ScenarioResult<S extends Scenario = Scenario> = {
  scenario: S;
  /** The run with the most requests per second. */
  best: LoadResult;
  runs: LoadResult[];
  /** Errors over every run, warm-up included: anything but 0 is a bug. */
  errors: number;
  /** Each run's req/s over the baseline run just before it (empty without a baseline). */
  ratios: number[];
};

export type RoundsResult<S extends Scenario = Scenario> = {
  scenarios: ScenarioResult<S>[];
  baseline: ScenarioResult | undefined;
};

function bestOf(runs: LoadResult[]): LoadResult {
  return runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
}

export async function measureRounds<S extends Scenario>(
  scenarios: S[],
  { rounds, warmUpSeconds, durationSeconds }: RoundSettings,
  progress: (message: string) => void,
  baseline?: Scenario,
): Promise<RoundsResult<S>> {
  type Tally<T extends Scenario> = { scenario: T; runs: LoadResult[]; errors: number; ratios: number[] };
  const tally = <T extends Scenario>(scenario: T): Tally<T> => ({ scenario, runs: [], errors: 0, ratios: [] });
  const results = scenarios.map(tally);
  const base = baseline && tally(baseline);
  const measure = async (result: Tally<Scenario>, round: number) => {
    if (round === 1 && warmUpSeconds > 0 && result.runs.length === 0) {
      result.errors += (await runLoad(result.scenario.request, CONNECTIONS, warmUpSeconds)).errors;
    }
    const run = await runLoad(result.scenario.request, CONNECTIONS, durationSeconds);
    progress(`round ${round}/${rounds}: ${result.scenario.name}: ${Math.round(run.requestsPerSecond)} req/s`);
    result.runs.push(run);
    result.errors += run.errors;
    return run;
  };
  for (let round = 1; round <= rounds; round++) {
    for (const result of results) {
      const before = base && (await measure(base, round));
      const run = await measure(result, round);
      if (before) result.ratios.push(run.requestsPerSecond / before.requestsPerSecond);
    }
  }
  const finish = <T extends Scenario>({ scenario, runs, errors, ratios }: Tally<T>): ScenarioResult<T> => ({
    scenario,
    best: bestOf(runs),
    runs,
    errors,
    ratios,
  });
  return { scenarios: results.map(finish), baseline: base && finish(base) };
}
