// Login links as people really open them: on another device (where the site asks
// first), and after making a list anonymously (which becomes theirs). The basic login
// flow is in login.spec.ts.
import { expect, type Page, test } from "./fixtures.ts";
import { LoginPage } from "./pages/login-page.ts";

const TEST_EMAIL = "edith@example.com";

async function expectLoggedIn(page: Page, email: string) {
  await expect(page.locator("#id_logout")).toBeVisible();
  await expect(page.locator(".navbar")).toContainText(`Logged in as ${email}`);
}

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
  const onPhone = new LoginPage(phone);
  await onPhone.openConfirmation(link, TEST_EMAIL);
  await expect(phone.locator("#id_logout")).toHaveCount(0);
  await onPhone.confirm();
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
