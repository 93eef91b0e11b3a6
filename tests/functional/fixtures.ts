// Playwright fixtures that work on any target: the server, a reset before each
// test, pre-authenticated sessions, reading the email a test caused, and the
// page's HTML saved when a test fails (screenshot and trace come from the config).
import { type BrowserContext, test as base, expect, type Page } from "@playwright/test";
import type { StoredMessage } from "../../src/email/message-files.ts";
import { existingServer, startOwnServer, type TargetServer } from "./support/target-server.ts";

export type { Locator, Page } from "@playwright/test";
export { expect };

type TargetInfo = {
  role: string;
  database: string;
  schemaVersion: string | null;
  sessionCookie: string;
  /** How long a login link works on this target. */
  loginTokenMaxAgeSeconds: number;
};

type WorkerFixtures = { target: TargetServer; targetInfo: TargetInfo };

type TestFixtures = {
  resetTarget: undefined;
  savePageHtmlOnFailure: undefined;
  /** Logs the page's browser in as `email` without going through the login email. */
  preAuthenticatedSession: (email: string, page?: Page) => Promise<void>;
  /** The newest email the target sent to `to`, waiting until one arrives. */
  latestEmail: (to: string) => Promise<StoredMessage>;
  /** A page in a new browser context: a second user (or device) at the same time. */
  newUserPage: () => Promise<Page>;
};

export const test = base.extend<TestFixtures, WorkerFixtures>({
  target: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring.
    async ({}, use) => {
      const target = process.env.TEST_SERVER ? existingServer(process.env) : await startOwnServer();
      try {
        await use(target);
      } finally {
        await target.stop();
      }
    },
    { scope: "worker", timeout: 60_000 },
  ],

  targetInfo: [
    async ({ target }, use) => {
      const info = JSON.parse((await target.run(["info"])).stdout) as TargetInfo;
      if (info.role === "production") {
        throw new Error(`refusing to run functional tests against ${target.baseURL}: it reports role "production"`);
      }
      await use(info);
    },
    { scope: "worker" },
  ],

  baseURL: async ({ target }, use) => {
    await use(target.baseURL);
  },

  resetTarget: [
    async ({ target, targetInfo }, use) => {
      expect(targetInfo.role).not.toBe("production");
      await target.run(["flush", "--no-input"]);
      await use(undefined);
    },
    { auto: true },
  ],

  savePageHtmlOnFailure: [
    async ({ page }, use, testInfo) => {
      await use(undefined);
      if (testInfo.status !== testInfo.expectedStatus && !page.isClosed()) {
        await testInfo.attach("page.html", { body: await page.content(), contentType: "text/html" });
      }
    },
    { auto: true },
  ],

  preAuthenticatedSession: async ({ page, target, targetInfo }, use) => {
    await use(async (email, onPage = page) => {
      const key = (await target.run(["create-session", email])).stdout.trim();
      // Cookies can only be set for a domain the browser has visited: the 404 page is the cheapest.
      await onPage.goto(`${target.baseURL}/404_no_such_url/`);
      await onPage.context().addCookies([{ name: targetInfo.sessionCookie, value: key, url: target.baseURL }]);
    });
  },

  latestEmail: async ({ target }, use) => {
    await use(async (to) => {
      let latest: StoredMessage | undefined;
      await expect
        .poll(
          async () => {
            const messages = JSON.parse((await target.run(["emails", "--to", to, "--json"])).stdout) as StoredMessage[];
            latest = messages[0];
            return latest !== undefined;
          },
          { message: `an email to ${to} should arrive`, timeout: 20_000 },
        )
        .toBe(true);
      return latest as StoredMessage;
    });
  },

  // The same device and settings as the test's own page (a phone's size and touch, JavaScript on or off).
  newUserPage: async ({ browser, target, viewport, isMobile, hasTouch, javaScriptEnabled }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({
        baseURL: target.baseURL,
        viewport,
        isMobile,
        hasTouch,
        javaScriptEnabled,
      });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
});
