import { expect, test } from "./fixtures.ts";

test("logged-in users' lists are saved as My Lists", async ({ page, preAuthenticatedSession }) => {
  const email = "edith@example.com";
  await preAuthenticatedSession(email);

  // Edith goes to the home page and starts a list.
  await page.goto("/");
  await page.locator("#id_text").fill("Reticulate splines");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Reticulate splines"]);
  await page.locator("#id_text").fill("Immanentize eschaton");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Reticulate splines", "2: Immanentize eschaton"]);
  const firstListUrl = page.url();

  // She notices a "My lists" link, for the first time.
  await page.getByRole("link", { name: "My lists", exact: true }).click();
  await expect(page.locator("h1")).toHaveText("My Lists");
  await expect(page.getByRole("heading", { name: `${email}'s lists` })).toBeVisible();

  // She sees that her list is in there, named according to its first item.
  await page.getByRole("link", { name: "Reticulate splines" }).click();
  await expect(page).toHaveURL(firstListUrl);

  // She decides to start another list, just to see.
  await page.goto("/");
  await page.locator("#id_text").fill("Click cows");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Click cows"]);
  const secondListUrl = page.url();

  await page.getByRole("link", { name: "My lists", exact: true }).click();
  await page.getByRole("link", { name: "Click cows" }).click();
  await expect(page).toHaveURL(secondListUrl);

  // She logs out. The "My lists" option disappears.
  await page.locator("#id_logout").click();
  await expect(page.getByRole("link", { name: "My lists", exact: true })).toHaveCount(0);
});
