// Runs a fast-check property and says how many cases it ran (the suite's report
// lists them). HARDENING_NUM_RUNS overrides every property's case count for a
// longer hunt, e.g. HARDENING_NUM_RUNS=2000 npx vitest run tests/hardening.
import fc from "fast-check";

/**
 * A property's case count, not the clock, bounds its work; on a busy 2-core machine
 * (and on PostgreSQL) hundreds of cases can outlast the default test timeout.
 */
export const PROPERTY_TIMEOUT_MS = 180_000;

export async function checkProperty<Ts>(
  name: string,
  property: fc.IAsyncProperty<Ts>,
  params: fc.Parameters<Ts> & { numRuns: number },
): Promise<void> {
  const override = Number(process.env.HARDENING_NUM_RUNS);
  const numRuns = Number.isInteger(override) && override > 0 ? override : params.numRuns;
  const details = await fc.check(property, { ...params, numRuns });
  console.log(
    `[property] ${name}: ${details.numRuns} cases${details.failed ? " until the first failure" : ""} (seed ${details.seed})`,
  );
  if (details.failed) {
    const report = await fc.asyncDefaultReportMessage(details);
    const cause = details.errorInstance;
    throw new Error(`${report}\n\nThe failing case: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
