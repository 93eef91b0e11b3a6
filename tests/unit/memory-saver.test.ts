import { afterEach, describe, expect, test } from "vitest";
import { type MemorySaverLimits, memorySaverWanted, watchMemory } from "../../src/memory-saver.ts";

const MB = 2 ** 20;
const limits: MemorySaverLimits = { onAboveBytes: 130 * MB, offBelowBytes: 115 * MB, checkEveryMs: 250 };

describe("memorySaverWanted", () => {
  test.each([
    ["off, below both limits: stays off", false, 100, false],
    ["off, between the limits: stays off", false, 120, false],
    ["off, above the upper limit: switches on", false, 140, true],
    ["on, between the limits: stays on", true, 120, true],
    ["on, below the lower limit: switches off", true, 110, false],
    ["on, above the upper limit: stays on", true, 140, true],
  ])("%s", (_case, on, rssMB, wanted) => {
    expect(memorySaverWanted(on, rssMB * MB, limits)).toBe(wanted);
  });
});

describe("watchMemory", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  test("switches the mode on when RSS is above the upper limit and off when it falls below the lower one", async () => {
    const switches: { on: boolean; rssBytes: number }[] = [];
    // Every RSS is above 0 and below MAX_SAFE_INTEGER: on at the first check, off at the next.
    stop = watchMemory({ onAboveBytes: 0, offBelowBytes: Number.MAX_SAFE_INTEGER, checkEveryMs: 5 }, (on, rssBytes) =>
      switches.push({ on, rssBytes }),
    );
    await expect.poll(() => switches.length).toBeGreaterThanOrEqual(2);
    expect(switches.slice(0, 2).map((entry) => entry.on)).toEqual([true, false]);
    expect(switches[0]?.rssBytes).toBeGreaterThan(10 * MB);
  });

  test("never switches while RSS stays between the limits", async () => {
    const switches: boolean[] = [];
    let checks = 0;
    const rss = process.memoryUsage.rss;
    // Count the checks through the RSS reads, so the test waits for checks, not for time.
    process.memoryUsage.rss = () => {
      checks++;
      return rss();
    };
    try {
      stop = watchMemory({ onAboveBytes: Number.MAX_SAFE_INTEGER, offBelowBytes: 0, checkEveryMs: 5 }, (on) =>
        switches.push(on),
      );
      await expect.poll(() => checks).toBeGreaterThanOrEqual(5);
      expect(switches).toEqual([]);
    } finally {
      process.memoryUsage.rss = rss;
    }
  });
});
