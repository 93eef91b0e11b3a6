// Lists that feel live (issue 22): with JavaScript on, actions update the page in
// place, keeping the scroll position and the focus where the user is; a list open in
// several places shows every change made anywhere without reloading. Without
// JavaScript the same actions work by plain form posts (item-and-list-actions.spec.ts).
import { expect, type Page, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { ListPage } from "./pages/list-page.ts";

async function listWith(page: Page, firstItem: string, ...moreItems: string[]): Promise<ListPage> {
  return (await new HomePage(page).goto()).startListWith(firstItem, ...moreItems);
}

// Longer than a window, on a desktop or a phone.
const WEEK_OF_SHOPPING = [
  "Buy milk",
  "Buy eggs",
  "Buy flour",
  "Buy sugar",
  "Buy butter",
  "Buy apples",
  "Buy rice",
] as const;

// Desktop and phone: the Playwright projects run this file at both sizes.
test.describe("with JavaScript on", () => {
  test("adding an item keeps the scroll position and the cursor in the item input", async ({ page }) => {
    const list = await listWith(page, ...WEEK_OF_SHOPPING);
    await list.scrollTo(120);
    await list.addItem("Bake cake");
    await expect(list.itemForm.input).toBeFocused();
    await expect(list.itemForm.input).toHaveValue("");
    expect(await list.scrollPosition()).toBe(120);
  });

  test("Done keeps the focus on the same Done button, and Delete moves it to the next row's", async ({ page }) => {
    const list = await listWith(page, "Buy milk", "Buy eggs", "Bake cake");
    await list.toggleDone("Buy milk");
    await expect(list.doneButton("Buy milk")).toBeFocused();
    await list.deleteItem("Buy eggs");
    await expect(list.deleteButton("Bake cake")).toBeFocused();
    await list.deleteItem("Bake cake");
    await expect(list.deleteButton("Buy milk")).toBeFocused();
  });

  test("the list page runs with no console error (the content security policy allows all Turbo needs)", async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const list = await listWith(page, "Buy milk");
    await list.addItem("Buy eggs");
    expect(errors).toEqual([]);
  });

  test("editing starts with the cursor in the edit field", async ({ page }) => {
    const list = await listWith(page, "Buy milk");
    const form = await list.startEditing("Buy milk");
    await expect(form.input).toBeFocused();
  });

  test("an error shows next to its field, in view, focused, with what the user typed", async ({ page }) => {
    const list = await listWith(page, ...WEEK_OF_SHOPPING);
    await list.itemForm.submit("Buy eggs");
    await expect(list.itemForm.error).toHaveText("You've already got this in your list");
    await expect(list.itemForm.error).toBeInViewport();
    await expect(list.itemForm.input).toBeFocused();
    await expect(list.itemForm.input).toHaveValue("Buy eggs");
    // The other forms' errors, with JavaScript on and off: list-details.spec.ts.
  });
});

/** Edith's list, shared with Oni, open on Oni's own device. */
async function listSharedWithOni(
  page: Page,
  newUserPage: () => Promise<Page>,
  preAuthenticatedSession: (email: string, page?: Page) => Promise<void>,
): Promise<{ edith: ListPage; oni: ListPage }> {
  await preAuthenticatedSession("edith@example.com");
  const edith = await listWith(page, "Buy milk");
  await edith.shareWith("oni@example.com");
  await expect(edith.sharees).toHaveText(["oni@example.com"]);
  const oniPage = await newUserPage();
  await preAuthenticatedSession("oni@example.com", oniPage);
  const oni = await new ListPage(oniPage).goto(page.url());
  await oni.expectItems(["Buy milk"]);
  return { edith, oni };
}

test.describe("a list open in two places", () => {
  test("shows every change made in the other, without reloading, and keeps what is being typed", async ({
    page,
    newUserPage,
  }) => {
    const edith = await listWith(page, "Buy milk");
    const other = await new ListPage(await newUserPage()).goto(page.url());
    await other.expectItems(["Buy milk"]);
    await other.itemForm.input.fill("half-typed");

    await edith.addItem("Buy eggs");
    await other.expectItems(["Buy milk", "Buy eggs"]);
    await expect(other.itemForm.input).toHaveValue("half-typed");

    await edith.toggleDone("Buy milk");
    await expect(other.doneButton("Buy milk")).toHaveAttribute("aria-pressed", "true");
    await edith.editItem("Buy eggs", "Buy six eggs");
    await other.expectItems(["Buy milk", "Buy six eggs"]);
    await edith.deleteItem("Buy milk");
    await other.expectItems(["Buy six eggs"]);
    await edith.addItem("Buy flour");
    await edith.toggleDone("Buy flour");
    await edith.clearCompleted();
    await other.expectItems(["Buy six eggs"]);
    await edith.rename("Shopping");
    await expect(other.heading).toContainText("Shopping");

    await edith.deleteList();
    await expect(other.noAccessMessage).toBeVisible();
  });

  test("tells a sharee's open page when they left the list in another tab", async ({
    page,
    newUserPage,
    preAuthenticatedSession,
  }) => {
    const { edith, oni } = await listSharedWithOni(page, newUserPage, preAuthenticatedSession);
    const oniSecondTab = await new ListPage(await oni.page.context().newPage()).goto(page.url());

    await edith.addItem("Buy eggs");
    await oni.expectItems(["Buy milk", "Buy eggs"]);
    await oniSecondTab.leave();
    await expect(oni.noAccessMessage).toBeVisible();
  });

  test("tells a sharee's open page when the owner removed them", async ({
    page,
    newUserPage,
    preAuthenticatedSession,
  }) => {
    const { edith, oni } = await listSharedWithOni(page, newUserPage, preAuthenticatedSession);
    await edith.removeSharee("oni@example.com");
    await expect(oni.noAccessMessage).toBeVisible();
    await expect(oni.table).toHaveCount(0);
  });
});
