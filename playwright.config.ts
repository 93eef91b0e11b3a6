import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/functional/support/browser-launch.ts";

// Against a shared server (TEST_SERVER) tests reset its one database, so they run
// one at a time; otherwise each worker starts its own server and database.
const sharedServer = Boolean(process.env.TEST_SERVER);

// What a person does with their lists runs on a phone too (a touch screen 390 px wide);
// the accessibility walk sizes its own windows, and the rest is about servers and links.
const ON_A_PHONE_TOO = [
  "item-and-list-actions",
  "list-details",
  "list-features",
  "list-item-validation",
  "live-lists",
  "login",
  "my-lists",
].map((spec) => `**/${spec}.spec.ts`);

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
    launchOptions: chromiumLaunchOptions(),
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "desktop", use: { viewport: { width: 1024, height: 768 } } },
    {
      name: "phone",
      testMatch: ON_A_PHONE_TOO,
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    },
  ],
});
