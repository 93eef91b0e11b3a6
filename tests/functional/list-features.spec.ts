// What to-do apps have, with JavaScript on and off (every page works by forms and
// redirects): "N of M done", Clear completed, Undo, removing a person, leaving after a
// confirmation, and typed text kept when the server refuses it.
import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { ListPage } from "./pages/list-page.ts";

for (const javaScriptEnabled of [true, false]) {
  test.describe(`with JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("deleting an item or clearing the done ones can be undone, in place", async ({ page }) => {
      const list = await (await new HomePage(page).goto()).startList("Buy milk");
      await list.addItem("Buy eggs");
      await list.addItem("Buy bread");
      await expect(list.status).toHaveText("0 of 3 done");
      await expect(list.clearCompletedButton).toHaveCount(0);

      // Edith deletes the eggs by mistake, and takes it back.
      await list.deleteItem("Buy eggs");
      await list.expectItems(["Buy milk", "Buy bread"]);
      await expect(list.successMessage).toContainText("Deleted “Buy eggs”.");
      await list.undo();
      await list.expectItems(["Buy milk", "Buy eggs", "Buy bread"]);

      // She buys the milk and the bread, and clears them off.
      await list.toggleDone("Buy milk");
      await list.toggleDone("Buy bread");
      await expect(list.status).toHaveText("2 of 3 done");
      await list.clearCompleted();
      await list.expectItems(["Buy eggs"]);
      await expect(list.status).toHaveText("0 of 1 done");

      // Too soon: undone, each back in its place and still done.
      await list.undo();
      await list.expectItems(["Buy milk", "Buy eggs", "Buy bread"]);
      await expect(list.doneButton("Buy milk")).toHaveAttribute("aria-pressed", "true");
      await expect(list.doneButton("Buy eggs")).toHaveAttribute("aria-pressed", "false");
      await expect(list.status).toHaveText("2 of 3 done");
    });

    test("what was typed stays in its field when the server refuses it", async ({ page, preAuthenticatedSession }) => {
      await preAuthenticatedSession("edith@example.com");
      const list = await (await new HomePage(page).goto()).startList("Buy milk");
      // An over-long item; the browser's own checks let it through (no maxlength).
      const long = "x".repeat(1001);
      await list.itemForm.submit(long);
      await expect(list.itemForm.error).toHaveText("An item can be at most 1000 characters long");
      await expect(list.itemForm.input).toHaveValue(long);
      // A duplicate.
      await list.itemForm.submit("Buy milk");
      await expect(list.itemForm.error).toHaveText("You've already got this in your list");
      await expect(list.itemForm.input).toHaveValue("Buy milk");
      // An address the server refuses (the browser's email check accepts it).
      await list.shareWith("edith@localhost");
      await expect(list.shareError).toBeVisible();
      await expect(list.shareInput).toHaveValue("edith@localhost");
      // A list name too long.
      await list.rename(long);
      await expect(list.nameError).toHaveText("A list's name can be at most 1000 characters long");
      await expect(list.nameInput).toHaveValue(long);
    });

    test("the owner removes a person; a sharee sees whose list it is and leaves after confirming", async ({
      page,
      newUserPage,
      preAuthenticatedSession,
      latestEmail,
    }) => {
      test.slow();
      await preAuthenticatedSession("edith@example.com");
      const oniPage = await newUserPage();
      await preAuthenticatedSession("oni@example.com", oniPage);
      const list = await (await new HomePage(page).goto()).startList("Plan the party");
      await list.shareWith("oni@example.com");
      await expect(list.sharees).toHaveText(["oni@example.com"]);
      await list.shareWith("yuki@example.com");
      await expect(list.sharees).toHaveText(["oni@example.com", "yuki@example.com"]);

      // Oni gets an email with the list's link, and the page names its owner.
      const email = await latestEmail("oni@example.com");
      expect(email.text).toContain("edith@example.com shared their to-do list");
      const link = email.text.trim().split("\n").at(-1) ?? "";
      expect(link).toBe(page.url());
      await oniPage.goto(link);
      const oniList = new ListPage(oniPage);
      await expect(oniList.heading).toContainText("To-Do list shared by edith@example.com");
      await expect(oniList.heading).not.toContainText("Your To-Do list");
      await expect(oniList.owner).toHaveText("edith@example.com");
      await expect(oniList.removeShareeButton("yuki@example.com")).toHaveCount(0);

      // Edith removes Yuki.
      await list.removeSharee("yuki@example.com");
      await expect(list.sharees).toHaveText(["oni@example.com"]);
      // Oni's open page shows it too (live with JavaScript, once reloaded without).
      if (!javaScriptEnabled) await oniPage.reload();
      await expect(oniList.sharees).toHaveText(["oni@example.com"]);

      // Oni asks to leave, thinks again, then leaves.
      await oniList.askToLeave();
      await oniPage.getByRole("link", { name: "Stay" }).click();
      await expect(oniList.owner).toHaveText("edith@example.com");
      await oniList.leave();
      await page.reload();
      await expect(list.sharees).toHaveCount(0);
    });
  });
}
