// Runs scenarios in interleaved rounds (every scenario once per round, the bare
// baseline included) so a burst of noise from elsewhere on the machine hits all of
// them alike; keeps each scenario's best run.
import { type LoadResult, runLoad } from "./load.ts";
import type { Scenario } from "./scenarios.ts";

export const CONNECTIONS = 32;

export type RoundSettings = { rounds: number; warmUpSeconds: number; durationSeconds: number };

export type ScenarioResult = {
  scenario: Scenario;
  /** The run with the most requests per second. */
  best: LoadResult;
  runs: LoadResult[];
  /** Errors over every run, warm-up included: anything but 0 is a bug. */
  errors: number;
};

export async function measureRounds(
  scenarios: Scenario[],
  { rounds, warmUpSeconds, durationSeconds }: RoundSettings,
  progress: (message: string) => void,
): Promise<ScenarioResult[]> {
  const results = scenarios.map((scenario) => ({ scenario, runs: [] as LoadResult[], errors: 0 }));
  for (let round = 1; round <= rounds; round++) {
    for (const result of results) {
      if (round === 1 && warmUpSeconds > 0) {
        result.errors += (await runLoad(result.scenario.request, CONNECTIONS, warmUpSeconds)).errors;
      }
      const run = await runLoad(result.scenario.request, CONNECTIONS, durationSeconds);
      progress(`round ${round}/${rounds}: ${result.scenario.name}: ${Math.round(run.requestsPerSecond)} req/s`);
      result.runs.push(run);
      result.errors += run.errors;
    }
  }
  return results.map(({ scenario, runs, errors }) => ({
    scenario,
    best: runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a)),
    runs,
    errors,
  }));
}
