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

/** The login link: the email body's last line. */
async function loginLink(latestEmail: (to: string) => Promise<{ text: string }>, to: string): Promise<string> {
  return (await latestEmail(to)).text.trim().split("\n").at(-1) ?? "";
}

async function startList(page: Page, item: string) {
  await page.goto("/");
  await page.locator("#id_text").fill(item);
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table")).toContainText(`1: ${item}`);
}

test("a link opened on another device asks first, then logs in there", async ({ page, latestEmail, newUserPage }) => {
  // Edith, on her laptop, asks for a link from a list's page.
  await startList(page, "Buy peacock feathers");
  const listUrl = page.url();
  await page.locator("#id_email_input").fill(TEST_EMAIL);
  await page.locator("#id_email_input").press("Enter");
  await expect(page.locator(".alert-success")).toBeVisible();
  const link = await loginLink(latestEmail, TEST_EMAIL);

  // She opens the email on her phone: the site asks before logging her in there.
  const phone = await newUserPage();
  await phone.goto(link);
  await expect(phone.locator("body")).toContainText(`Log in to Superlists as ${TEST_EMAIL}?`);
  await expect(phone.locator("#id_logout")).toHaveCount(0);
  await phone.getByRole("button", { name: "Log in" }).click();
  await expectLoggedIn(phone, TEST_EMAIL);
  // And she is back on the page she asked from.
  await expect(phone).toHaveURL(listUrl);
});

test("lists made before logging in are the user's after, and she is back on the list", async ({
  page,
  latestEmail,
}) => {
  await startList(page, "Make a fly");
  const listUrl = page.url();
  await page.locator("#id_email_input").fill(TEST_EMAIL);
  await page.locator("#id_email_input").press("Enter");
  await expect(page.locator(".alert-success")).toBeVisible();

  await page.goto(await loginLink(latestEmail, TEST_EMAIL));
  await expectLoggedIn(page, TEST_EMAIL);
  await expect(page).toHaveURL(listUrl);
  await expect(page.locator("#id_list_owner")).toHaveText(TEST_EMAIL);
  await page.getByRole("link", { name: "My lists" }).click();
  await expect(page.locator("body")).toContainText("Make a fly");
});
