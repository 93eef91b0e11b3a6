import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { MyListsPage } from "./pages/my-lists-page.ts";

test("logged-in users' lists are saved as My Lists", async ({ page, preAuthenticatedSession }) => {
  // A long story: a couple of dozen page loads.
  test.slow();
  const email = "edith@example.com";
  await preAuthenticatedSession(email);

  // Edith goes to the home page and starts a list.
  const home = await new HomePage(page).goto();
  const list = await home.startList("Reticulate splines");
  await list.addItem("Immanentize eschaton");
  const firstListUrl = page.url();

  // She notices a "My lists" link, for the first time.
  await list.navbar.goToMyLists();
  const myLists = new MyListsPage(page);
  await expect(myLists.ownListsHeading(email)).toBeVisible();

  // She sees that her list is in there, named according to its first item.
  await myLists.openList("Reticulate splines");
  await expect(page).toHaveURL(firstListUrl);

  // She decides to start another list, just to see.
  await home.goto();
  await home.startList("Click cows");
  const secondListUrl = page.url();

  await list.navbar.goToMyLists();
  await myLists.openList("Click cows");
  await expect(page).toHaveURL(secondListUrl);

  // She renames it: My Lists shows the new name.
  await list.rename("Cow clicking");
  await expect(list.heading).toContainText("Cow clicking");
  await list.navbar.goToMyLists();
  await expect(myLists.listLink("Cow clicking")).toBeVisible();

  // She logs out. The "My lists" option disappears.
  await home.navbar.logOut();
  await expect(home.navbar.myListsLink).toHaveCount(0);
});
