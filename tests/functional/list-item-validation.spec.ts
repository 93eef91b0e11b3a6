import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";

test("cannot add empty list items", async ({ page }) => {
  const home = await new HomePage(page).goto();
  // The browser itself refuses the empty submission.
  await home.itemForm.input.press("Enter");
  await expect(page.locator("#id_text:invalid")).toBeVisible();

  await home.itemForm.input.fill("Purchase milk");
  await expect(page.locator("#id_text:valid")).toBeVisible();
  const list = await home.startList("Purchase milk");

  await list.itemForm.input.press("Enter");
  await expect(page.locator("#id_text:invalid")).toBeVisible();
  await list.addItem("Make tea");
  await list.expectItems(["Purchase milk", "Make tea"]);
});

test("the server refuses an empty item too, when the browser lets it through", async ({ page }) => {
  const home = await new HomePage(page).goto();
  await home.itemForm.input.evaluate((input) => input.removeAttribute("required"));
  await home.itemForm.input.press("Enter");
  await expect(home.itemForm.error).toHaveText("You can't have an empty list item");
  await expect(home.itemForm.input).toHaveClass(/is-invalid/);
  await expect(home.itemForm.input).toHaveAttribute("aria-invalid", "true");
});

test("cannot add duplicate items", async ({ page }) => {
  const list = await (await new HomePage(page).goto()).startList("Buy wellies");
  await list.itemForm.submit("Buy wellies");
  await expect(list.itemForm.anyError).toHaveText("You've already got this in your list");
  await list.expectItems(["Buy wellies"]);
});

test("error messages are cleared on input", async ({ page }) => {
  const list = await (await new HomePage(page).goto()).startList("Banter too thick");
  await list.itemForm.submit("Banter too thick");
  await expect(list.itemForm.anyError).toBeVisible();

  await list.itemForm.input.pressSequentially("a");
  await expect(list.itemForm.anyError).toBeHidden();
  await expect(list.itemForm.input).not.toHaveAttribute("aria-invalid");
});
