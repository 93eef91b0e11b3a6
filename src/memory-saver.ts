// V8's memory saver mode, on only while the process holds a lot of memory. The mode
// collects garbage sooner and hands freed heap pages back to the system, which keeps
// RSS down under heavy load but costs CPU on every request (docs/performance.md,
// changes 18 and 24): paid only when memory is high, it costs ordinary loads nothing.
import { setFlagsFromString } from "node:v8";

export type MemorySaverLimits = {
  /** Resident set size above which the mode is switched on. */
  onAboveBytes: number;
  /** Resident set size below which it is switched off again (lower: no flapping). */
  offBelowBytes: number;
  /** How often the resident set size is read. */
  checkEveryMs: number;
};

/** Whether the mode should be on, given whether it is and the resident set size now. */
export function memorySaverWanted(on: boolean, rssBytes: number, limits: MemorySaverLimits): boolean {
  return on ? rssBytes >= limits.offBelowBytes : rssBytes > limits.onAboveBytes;
}

/**
 * Reads the resident set size every `checkEveryMs` and switches the mode (a flag V8
 * reads as it runs) as the limits say; calls `onSwitch` after each switch. Returns a
 * function that stops watching and switches the mode off.
 */
export function watchMemory(limits: MemorySaverLimits, onSwitch: (on: boolean, rssBytes: number) => void): () => void {
  let on = false;
  const switchTo = (wanted: boolean) => {
    on = wanted;
    setFlagsFromString(on ? "--memory-saver-mode" : "--no-memory-saver-mode");
  };
  const timer = setInterval(() => {
    const rssBytes = process.memoryUsage.rss();
    if (memorySaverWanted(on, rssBytes, limits) === on) return;
    switchTo(!on);
    onSwitch(on, rssBytes);
  }, limits.checkEveryMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (on) switchTo(false);
  };
}
