import { expect, test } from "./fixtures.ts";

test("can share a list with another user", async ({ page, newUserPage, preAuthenticatedSession }) => {
  // Edith is a logged-in user; her friend Oni is also hanging out on the lists site.
  await preAuthenticatedSession("edith@example.com");
  const oni = await newUserPage();
  await preAuthenticatedSession("oni@example.com", oni);

  // Edith goes to the home page and starts a list.
  await page.goto("/");
  await page.locator("#id_text").fill("Get help");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Get help"]);
  await expect(page.locator("#id_list_owner")).toHaveText("edith@example.com");

  // Oni cannot see it before it is shared.
  const listUrl = page.url();
  await oni.goto(listUrl);
  await expect(oni.locator("h1")).toContainText("Not Found");

  // Edith notices a "Share this list" option and shares it with Oni.
  const shareBox = page.locator('input[name="sharee"]');
  await expect(shareBox).toHaveAttribute("placeholder", "your-friend@example.com");
  await shareBox.fill("oni@example.com");
  await shareBox.press("Enter");
  await expect(page.locator("li.list-sharee")).toHaveText(["oni@example.com"]);

  // Oni goes to the lists page and sees Edith's list in there.
  await oni.goto("/");
  await oni.getByRole("link", { name: "My lists", exact: true }).click();
  await expect(oni.getByRole("heading", { name: "Lists shared by other users" })).toBeVisible();
  await expect(oni.locator("body")).toContainText("edith@example.com");
  await oni.getByRole("link", { name: "Get help" }).click();
  await expect(oni.locator("#id_list_owner")).toHaveText("edith@example.com");

  // He adds an item to the list; only the owner may share, so he has no share box.
  await expect(oni.locator('input[name="sharee"]')).toHaveCount(0);
  await oni.locator("#id_text").fill("Hi Edith!");
  await oni.locator("#id_text").press("Enter");
  await expect(oni.locator("#id_list_table tr")).toHaveText(["1: Get help", "2: Hi Edith!"]);

  // When Edith refreshes the page, she sees Oni's addition.
  await page.reload();
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: Get help", "2: Hi Edith!"]);
});
