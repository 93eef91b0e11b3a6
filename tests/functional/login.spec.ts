import { expect, type Page, test } from "./fixtures.ts";

const TEST_EMAIL = "edith@example.com";
const LOGIN_SUBJECT = "Your login link for Superlists";

async function expectLoggedIn(page: Page, email: string) {
  await expect(page.locator("#id_logout")).toBeVisible();
  await expect(page.locator(".navbar")).toContainText(`Logged in as ${email}`);
}

async function expectLoggedOut(page: Page, email: string) {
  await expect(page.locator("input[name=email]")).toBeVisible();
  await expect(page.locator(".navbar")).not.toContainText(email);
}

test("can get an email link to log in, and log out", async ({ page, latestEmail }) => {
  // Edith goes to the site and notices a "Log in" section in the navbar.
  await page.goto("/");
  await expect(page.locator(".navbar")).toContainText("Enter your email to log in");
  await page.locator("#id_email_input").fill(TEST_EMAIL);
  await page.locator("#id_email_input").press("Enter");

  await expect(page.locator(".alert-success")).toHaveText(
    "Check your email, we've sent you a link you can use to log in.",
  );

  const email = await latestEmail(TEST_EMAIL);
  expect(email.subject).toBe(LOGIN_SUBJECT);
  expect(email.text).toContain("Use this link to log in:");
  const lastLine = email.text.trim().split("\n").at(-1) ?? "";
  expect(lastLine).toMatch(/^https?:\/\/[^/]+\/accounts\/login\?token=[A-Za-z0-9_-]+$/);
  expect(new URL(lastLine).origin).toBe(new URL(page.url()).origin);

  await page.goto(lastLine);
  await expectLoggedIn(page, TEST_EMAIL);

  // The link only works once.
  await page.locator("#id_logout").click();
  await expectLoggedOut(page, TEST_EMAIL);
  await page.goto(lastLine);
  await expect(page.locator(".alert-warning")).toHaveText("Invalid login link, please request a new one");
  await expectLoggedOut(page, TEST_EMAIL);
});

test("a pre-authenticated session is logged in", async ({ page, preAuthenticatedSession }) => {
  await page.goto("/");
  await expectLoggedOut(page, TEST_EMAIL);
  await preAuthenticatedSession(TEST_EMAIL);
  await page.goto("/");
  await expectLoggedIn(page, TEST_EMAIL);
});
