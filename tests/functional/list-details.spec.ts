// The details a person notices on a list, with JavaScript on and off (and, through the
// Playwright projects, on a desktop and on a phone): a refused input shown in view with
// what was typed, text in any script, the edit page, what an anonymous list says, and
// My Lists' counts and "New list".
import { expect, type Page, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { ListPage } from "./pages/list-page.ts";
import { MyListsPage } from "./pages/my-lists-page.ts";

// Longer than a window: the name and share fields start out of view.
const LONG_LIST = Array.from({ length: 10 }, (_, index) => `Chore number ${index + 1}`) as [string, ...string[]];

/** The text direction the browser lays an element out in: "ltr" or "rtl". */
function direction(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((element) => getComputedStyle(element).direction);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`with JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("a refused name or address is shown in view, next to its field, with what was typed", async ({
      page,
      preAuthenticatedSession,
    }) => {
      // Ten items added, a page load each without JavaScript.
      test.slow();
      await preAuthenticatedSession("edith@example.com");
      const list = await (await new HomePage(page).goto()).startListWith(...LONG_LIST);
      await expect(list.nameInput).not.toBeInViewport();

      // Far down a long list, Edith clears the name by mistake and renames.
      await list.nameInput.scrollIntoViewIfNeeded();
      await list.rename("   ");
      await expect(list.nameError).toHaveText("A list's name can't be empty");
      await expect(list.nameError).toBeInViewport();
      await expect(list.nameInput).toBeFocused();
      await expect(list.nameInput).toHaveValue("   ");

      // She shares with an address the server refuses.
      await list.shareWith("oni@localhost");
      await expect(list.shareError).toBeInViewport();
      await expect(list.shareInput).toBeFocused();
      await expect(list.shareInput).toHaveValue("oni@localhost");
    });

    test("items and names in a right-to-left script read right to left, others left to right", async ({ page }) => {
      const list = await (await new HomePage(page).goto()).startListWith("שלום עולם", "Buy milk", "اشتر الحليب");
      await list.expectItems(["שלום עולם", "Buy milk", "اشتر الحليب"]);
      expect(await direction(page, "#id_list_table tr:nth-child(1) td:first-child")).toBe("rtl");
      expect(await direction(page, "#id_list_table tr:nth-child(2) td:first-child")).toBe("ltr");
      expect(await direction(page, "#id_list_table tr:nth-child(3) td:first-child")).toBe("rtl");
      expect(await direction(page, "h1 .list-name")).toBe("rtl");
    });

    test("editing a long item shows all of it, in a focused text area", async ({ page }) => {
      const long = "Call the plumber about the kitchen tap that drips all night, and ask about the boiler";
      const list = await (await new HomePage(page).goto()).startListWith(long);
      const form = await list.startEditing(long);
      await expect(page.locator("textarea#id_text")).toBeVisible();
      await expect(form.input).toBeFocused();
      await expect(form.input).toHaveValue(long);
    });

    test("an anonymous list says it lives at its address, and that logging in keeps it", async ({
      page,
      preAuthenticatedSession,
    }) => {
      await (await new HomePage(page).goto()).startList("Buy milk");
      const note = page.locator("#id_anonymous_note");
      await expect(note).toContainText("This list lives at its address");
      await expect(note).toContainText("Log in");

      // Once logged in, the lists she makes are hers: no such note.
      await preAuthenticatedSession("edith@example.com");
      const own = await (await new HomePage(page).goto()).startList("Buy eggs");
      await expect(own.owner).toHaveText("edith@example.com");
      await expect(note).toHaveCount(0);
    });

    test("My Lists counts each list's items and starts a new list", async ({ page, preAuthenticatedSession }) => {
      await preAuthenticatedSession("edith@example.com");
      const list = await (await new HomePage(page).goto()).startListWith("Buy milk", "Buy eggs", "Buy flour");
      await list.navbar.goToMyLists();
      const myLists = new MyListsPage(page);
      await expect(myLists.listEntry("Buy milk")).toHaveText("Buy milk (3 items)");

      await myLists.newListButton.click();
      const second = await new HomePage(page).startList("Walk the dog");
      await second.navbar.goToMyLists();
      await expect(myLists.listEntry("Walk the dog")).toHaveText("Walk the dog (1 item)");
      await myLists.openList("Walk the dog");
      await new ListPage(page).expectItems(["Walk the dog"]);
    });
  });
}
