// Before the browser tests: use a system Chromium if there is one (CI installs
// Debian's), else make sure Playwright's own Chromium is installed (a laptop).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../tests/functional/support/browser-launch.ts";

const { executablePath } = chromiumLaunchOptions();
if (executablePath) {
  process.stdout.write(`browser tests use ${executablePath}\n`);
} else if (!existsSync(chromium.executablePath())) {
  process.stdout.write("no system Chromium found: installing Playwright's Chromium\n");
  execFileSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
}
