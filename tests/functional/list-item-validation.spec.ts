import { expect, test } from "./fixtures.ts";

test("cannot add empty list items", async ({ page }) => {
  await page.goto("/");
  const input = page.locator("#id_text");
  // The browser itself refuses the empty submission.
  await input.press("Enter");
  await expect(page.locator("#id_text:invalid")).toBeVisible();

  await input.fill("Purchase milk");
  await expect(page.locator("#id_text:valid")).toBeVisible();
  await input.press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Purchase milk"]);

  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_text:invalid")).toBeVisible();
  await page.locator("#id_text").fill("Make tea");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Purchase milk", "2: Make tea"]);
});

test("the server refuses an empty item too, when the browser lets it through", async ({ page }) => {
  await page.goto("/");
  await page.locator("#id_text").evaluate((input) => input.removeAttribute("required"));
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_text_feedback")).toHaveText("You can't have an empty list item");
  await expect(page.locator("#id_text")).toHaveClass(/is-invalid/);
});

test("cannot add duplicate items", async ({ page }) => {
  await page.goto("/");
  await page.locator("#id_text").fill("Buy wellies");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Buy wellies"]);

  await page.locator("#id_text").fill("Buy wellies");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator(".invalid-feedback")).toHaveText("You've already got this in your list");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Buy wellies"]);
});

test("error messages are cleared on input", async ({ page }) => {
  await page.goto("/");
  await page.locator("#id_text").fill("Banter too thick");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Banter too thick"]);

  await page.locator("#id_text").fill("Banter too thick");
  await page.locator("#id_text").press("Enter");
  const error = page.locator(".invalid-feedback");
  await expect(error).toBeVisible();

  await page.locator("#id_text").pressSequentially("a");
  await expect(error).toBeHidden();
});
