import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/functional/support/browser-launch.ts";

// Against a shared server (TEST_SERVER) tests reset its one database, so they run
// one at a time; otherwise each worker starts its own server and database.
const sharedServer = Boolean(process.env.TEST_SERVER);

export default defineConfig({
  testDir: "tests/functional",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results/functional",
  fullyParallel: false,
  workers: sharedServer ? 1 : 2,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    browserName: "chromium",
    viewport: { width: 1024, height: 768 },
    launchOptions: chromiumLaunchOptions(),
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
});
