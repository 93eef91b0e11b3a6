import { expect, type Page, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import type { ListPage } from "./pages/list-page.ts";

async function listWith(page: Page, firstItem: string, ...moreItems: string[]): Promise<ListPage> {
  return (await new HomePage(page).goto()).startListWith(firstItem, ...moreItems);
}

/** The whole tour of item and list actions: the same with and without JavaScript. */
async function itemAndListActions(page: Page): Promise<void> {
  // A long tour: a dozen page loads.
  test.slow();
  const list = await listWith(page, "Buy milk", "Buy eggs", "Bake cake");

  // Edith buys the milk: the row still reads "1: Buy milk", struck through, its button pressed.
  await list.toggleDone("Buy milk");
  await list.expectItems(["Buy milk", "Buy eggs", "Bake cake"]);
  await expect(list.rows.first().locator("td").first()).toHaveCSS("text-decoration-line", "line-through");
  await list.toggleDone("Buy milk");
  await expect(list.rows.first().locator("td").first()).not.toHaveCSS("text-decoration-line", "line-through");

  // She corrects an item; editing refuses a duplicate with the usual message.
  const form = await list.startEditing("Buy eggs");
  await expect(form.input).toHaveValue("Buy eggs");
  await form.submit("Bake cake");
  await expect(form.error).toHaveText("You've already got this in your list");
  await form.submit("Buy six eggs");
  await list.expectItems(["Buy milk", "Buy six eggs", "Bake cake"]);

  // She deletes one.
  await list.deleteItem("Bake cake");
  await list.expectItems(["Buy milk", "Buy six eggs"]);

  // She names the list, then deletes it, after a confirmation.
  await list.rename("Shopping");
  await expect(list.heading).toContainText("Shopping");
  await expect(page).toHaveTitle("Shopping - Your To-Do list - Superlists");
  const listUrl = page.url();
  await list.deleteList();
  await page.goto(listUrl);
  await expect(page.locator("h1")).toContainText("Not Found");
}

test("items are marked done, edited and deleted; the list renamed and deleted", async ({ page }) => {
  await itemAndListActions(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("everything works with plain forms and buttons", async ({ page }) => {
    await itemAndListActions(page);
  });
});

test("after adding an item, the cursor is back in the input", async ({ page }) => {
  const list = await listWith(page, "First");
  await list.addItem("Second");
  await expect(list.itemForm.input).toBeFocused();
  await list.itemForm.input.pressSequentially("Third");
  await list.itemForm.input.press("Enter");
  await list.expectItems(["First", "Second", "Third"]);
});

test("deleting a list can be called off on its confirmation page", async ({ page }) => {
  const list = await listWith(page, "Keep me");
  await list.askToDelete();
  await page.getByRole("link", { name: "Keep it" }).click();
  await list.expectItems(["Keep me"]);
});
