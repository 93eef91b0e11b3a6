import { expect, test } from "./fixtures.ts";

test("can start a to-do list and add items to it", async ({ page }) => {
  // Edith has heard about a cool new online to-do app. She goes to check out its homepage.
  await page.goto("/");
  await expect(page).toHaveTitle(/To-Do/);
  await expect(page.locator("h1")).toContainText("To-Do");

  const input = page.locator("#id_text");
  await expect(input).toHaveAttribute("placeholder", "Enter a to-do item");
  await input.fill("Buy peacock feathers");
  await input.press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Buy peacock feathers"]);

  await page.locator("#id_text").fill("Use peacock feathers to make a fly");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText([
    "1: Buy peacock feathers",
    "2: Use peacock feathers to make a fly",
  ]);
});

test("multiple users can start lists at different URLs", async ({ page, newUserPage }) => {
  await page.goto("/");
  await page.locator("#id_text").fill("Buy peacock feathers");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Buy peacock feathers"]);
  const edithUrl = page.url();
  expect(edithUrl).toMatch(/\/lists\/[0-9a-f]{32}\/$/);

  // Francis comes along, in a browser of his own: no sign of Edith's list.
  const francis = await newUserPage();
  await francis.goto("/");
  await expect(francis.locator("body")).not.toContainText("Buy peacock feathers");
  await francis.locator("#id_text").fill("Buy milk");
  await francis.locator("#id_text").press("Enter");
  await expect(francis.locator("#id_list_table tr")).toHaveText(["1: Buy milk"]);

  const francisUrl = francis.url();
  expect(francisUrl).toMatch(/\/lists\/[0-9a-f]{32}\/$/);
  expect(francisUrl).not.toBe(edithUrl);
  await expect(francis.locator("body")).not.toContainText("Buy peacock feathers");
});
