// Which Chromium to drive: CHROMIUM_PATH, else a system Chromium (Debian's
// /usr/bin/chromium, as CI installs), else the browser Playwright manages.
import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

// Without these, Chromium keeps trying to reach Google's services from a machine with no network.
const QUIET_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumLaunchOptions(env: Record<string, string | undefined> = process.env): LaunchOptions {
  const executablePath = env.CHROMIUM_PATH || SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  return executablePath ? { executablePath, args: QUIET_FLAGS } : {};
}
