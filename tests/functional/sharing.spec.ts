import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { ListPage } from "./pages/list-page.ts";
import { MyListsPage } from "./pages/my-lists-page.ts";

test("can share a list with another user", async ({ page, newUserPage, preAuthenticatedSession }) => {
  // A long story with two users: a couple of dozen page loads.
  test.slow();
  // Edith is a logged-in user; her friend Oni is also hanging out on the lists site.
  await preAuthenticatedSession("edith@example.com");
  const oni = await newUserPage();
  await preAuthenticatedSession("oni@example.com", oni);

  // Edith goes to the home page and starts a list.
  const list = await (await new HomePage(page).goto()).startList("Get help");
  await expect(list.owner).toHaveText("edith@example.com");

  // Oni cannot see it before it is shared.
  const listUrl = page.url();
  await oni.goto(listUrl);
  await expect(oni.locator("h1")).toContainText("Not Found");

  // Edith notices a "Share this list" option and shares it with Oni; she is told so.
  await expect(list.shareInput).toHaveAttribute("placeholder", "your-friend@example.com");
  await list.shareWith("oni@example.com");
  await expect(list.sharees).toHaveText(["oni@example.com"]);
  await expect(list.successMessage).toHaveText("Shared with oni@example.com. We've emailed them the list's link.");

  // Sharing with herself does nothing but say so.
  await list.shareWith("edith@example.com");
  await expect(list.warningMessage).toContainText("your own address");
  await expect(list.sharees).toHaveText(["oni@example.com"]);

  // Oni goes to the lists page and sees Edith's list in there.
  await new HomePage(oni).goto();
  const oniList = new ListPage(oni);
  await oniList.navbar.goToMyLists();
  const oniLists = new MyListsPage(oni);
  await expect(oniLists.sharedHeading).toBeVisible();
  await expect(oni.locator("body")).toContainText("edith@example.com");
  await oniLists.openList("Get help");
  await expect(oniList.owner).toHaveText("edith@example.com");

  // He adds an item to the list; only the owner may share, so he has no share box.
  await expect(oniList.shareInput).toHaveCount(0);
  await oniList.addItem("Hi Edith!");
  await oniList.expectItems(["Get help", "Hi Edith!"]);

  // When Edith refreshes the page, she sees Oni's addition.
  await page.reload();
  await list.expectItems(["Get help", "Hi Edith!"]);

  // Oni has had enough and leaves the list: it is gone from his lists.
  await oniList.leave();
  await expect(oniLists.listLink("Get help")).toHaveCount(0);
  await oni.goto(listUrl);
  await expect(oni.locator("h1")).toContainText("Not Found");
});
