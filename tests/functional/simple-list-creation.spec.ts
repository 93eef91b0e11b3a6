import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";

test("can start a to-do list and add items to it", async ({ page }) => {
  // Edith has heard about a cool new online to-do app. She goes to check out its homepage.
  const home = await new HomePage(page).goto();
  await expect(page).toHaveTitle(/To-Do/);
  await expect(page.locator("h1")).toContainText("To-Do");

  await expect(home.itemForm.input).toHaveAttribute("placeholder", "Enter a to-do item");
  const list = await home.startList("Buy peacock feathers");
  await list.addItem("Use peacock feathers to make a fly");
  await list.expectItems(["Buy peacock feathers", "Use peacock feathers to make a fly"]);
  // The list is named after its first item, in its heading and its title.
  await expect(list.heading).toContainText("Buy peacock feathers");
  await expect(page).toHaveTitle(/Buy peacock feathers.*To-Do/);
});

test("multiple users can start lists at different URLs", async ({ page, newUserPage }) => {
  const edithHome = await new HomePage(page).goto();
  await edithHome.startList("Buy peacock feathers");
  const edithUrl = page.url();
  expect(edithUrl).toMatch(/\/lists\/[0-9a-f]{32}\/$/);

  // Francis comes along, in a browser of his own: no sign of Edith's list.
  const francis = await newUserPage();
  const francisHome = await new HomePage(francis).goto();
  await expect(francis.locator("body")).not.toContainText("Buy peacock feathers");
  await francisHome.startList("Buy milk");

  const francisUrl = francis.url();
  expect(francisUrl).toMatch(/\/lists\/[0-9a-f]{32}\/$/);
  expect(francisUrl).not.toBe(edithUrl);
  await expect(francis.locator("body")).not.toContainText("Buy peacock feathers");
});
