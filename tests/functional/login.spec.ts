import { linkLifetime } from "../../src/accounts/login-email.ts";
import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { LoginPage } from "./pages/login-page.ts";

const TEST_EMAIL = "edith@example.com";
const LOGIN_SUBJECT = "Your login link for Superlists";
const CHECK_EMAIL = "Check your email, we've sent you a link you can use to log in.";

test("can get an email link to log in, and log out", async ({ page, latestEmail, targetInfo }) => {
  // Edith goes to the site and notices a "Log in" section in the navbar.
  const home = await new HomePage(page).goto();
  await expect(home.navbar.root).toContainText("Enter your email to log in");
  await home.navbar.requestLoginEmail(TEST_EMAIL);

  // She is told to check her email, and which address to look in.
  await expect(page.locator(".alert-success")).toHaveText(`${CHECK_EMAIL} We sent it to ${TEST_EMAIL}.`);

  const email = await latestEmail(TEST_EMAIL);
  expect(email.subject).toBe(LOGIN_SUBJECT);
  expect(email.text).toContain("Use this link to log in:");
  // The email says how long the link works: this target's configured lifetime.
  expect(email.text).toContain(`within ${linkLifetime(targetInfo.loginTokenMaxAgeSeconds)}`);
  const lastLine = email.text.trim().split("\n").at(-1) ?? "";
  expect(lastLine).toMatch(/^https?:\/\/[^/]+\/accounts\/login\?token=[A-Za-z0-9_-]+$/);
  expect(new URL(lastLine).origin).toBe(new URL(page.url()).origin);

  const login = new LoginPage(page);
  await login.followLink(lastLine);
  await home.navbar.expectLoggedIn(TEST_EMAIL);

  // The link only works once.
  await home.navbar.logOut();
  await home.navbar.expectLoggedOut(TEST_EMAIL);
  await login.followLink(lastLine);
  await login.expectInvalidLink();
  await home.navbar.expectLoggedOut(TEST_EMAIL);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the flash names the address as typed, characters and all", async ({ page, latestEmail }) => {
    // An address with characters HTML gives meaning to, as some real addresses have.
    const address = "o'neil&co@example.com";
    const home = await new HomePage(page).goto();
    await home.navbar.requestLoginEmail(address);
    await expect(page.locator(".alert-success")).toHaveText(`${CHECK_EMAIL} We sent it to ${address}.`);
    expect((await latestEmail(address)).to).toBe(address);
  });
});

test("a pre-authenticated session is logged in", async ({ page, preAuthenticatedSession }) => {
  const home = await new HomePage(page).goto();
  await home.navbar.expectLoggedOut(TEST_EMAIL);
  await preAuthenticatedSession(TEST_EMAIL);
  await home.goto();
  await home.navbar.expectLoggedIn(TEST_EMAIL);
});
