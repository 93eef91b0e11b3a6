// Every page, on a desktop and a phone: no axe-core violation (WCAG 2.2 AA), nothing
// wider than the window, the navbar's controls on one line; and a screenshot of each
// under test-results/screenshots/ (also attached to the test) for people to look at.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { TestInfo } from "@playwright/test";
import { expect, type Page, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { ListPage } from "./pages/list-page.ts";
import { LoginPage } from "./pages/login-page.ts";
import { MyListsPage } from "./pages/my-lists-page.ts";

const SCREENSHOT_DIR = join("test-results", "screenshots");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const OWNER = "edith@example.com";
const SHAREE = "oni@example.com";
const VISITOR = "francis@example.com";

const VIEWPORTS = [
  { name: "desktop", size: { width: 1024, height: 768 } },
  { name: "phone", size: { width: 390, height: 844 } },
] as const;

/**
 * Whether every visible control of the navbar sits on the brand's line, and its text
 * ("Logged in as EMAIL", which a phone shows on a line of its own below) is shown whole.
 */
function navbarOnOneLine(): { oneLine: boolean; textWhole: boolean; height: number } {
  const bar = document.querySelector(".navbar .container-fluid");
  const brand = bar?.querySelector(".navbar-brand")?.getBoundingClientRect();
  if (!bar || !brand) return { oneLine: false, textWhole: false, height: 0 };
  const visible = (selector: string) =>
    [...bar.querySelectorAll(selector)].filter((element) => {
      const box = element.getBoundingClientRect();
      // Visually hidden text (the login label on a phone) takes no room.
      return box.width > 1 && box.height > 1;
    });
  const centre = (brand.top + brand.bottom) / 2;
  // One line of text with its padding is at most 48 px high here; a wrapped one is taller.
  const oneLine = visible("a, button, input:not([type=hidden])")
    .map((element) => element.getBoundingClientRect())
    .every((box) => box.top < centre && box.bottom > centre && box.height <= 48);
  const textWhole = visible(".navbar-text").every((element) => element.scrollWidth <= element.clientWidth);
  return { oneLine, textWhole, height: bar.getBoundingClientRect().height };
}

async function checkPage(page: Page, testInfo: TestInfo, viewport: string, name: string): Promise<void> {
  await test.step(`${name} (${viewport})`, async () => {
    await page.waitForLoadState("load");
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}-${viewport}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name}-${viewport}`, { path, contentType: "image/png" });

    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const violations = results.violations.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
    expect.soft(violations, `axe violations on ${name}`).toEqual([]);

    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect.soft(widths.scroll, `horizontal overflow on ${name}`).toBeLessThanOrEqual(widths.client);
    expect
      .soft(await page.evaluate(navbarOnOneLine), `navbar of ${name}`)
      .toMatchObject({ oneLine: true, textWhole: true });
    await expect.soft(page.locator("title")).not.toBeEmpty();
  });
}

for (const { name: viewport, size } of VIEWPORTS) {
  test.describe(`on a ${viewport} (${size.width}×${size.height})`, () => {
    test.use({ viewport: size });

    test("every page passes axe, fits the width, keeps the navbar's controls on one line and its text whole", async ({
      page,
      newUserPage,
      preAuthenticatedSession,
      latestEmail,
    }, testInfo) => {
      test.setTimeout(240_000);
      const home = await new HomePage(page).goto();
      await checkPage(page, testInfo, viewport, "home-logged-out");

      await page.goto("/404_no_such_url/");
      await expect(page.locator("h1")).toContainText("Not Found");
      await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
      await checkPage(page, testInfo, viewport, "error-404");

      // An anonymous list with a validation error.
      await home.goto();
      const anonymous = await home.startList("Try the site without logging in");
      await anonymous.itemForm.submit("Try the site without logging in");
      await expect(anonymous.itemForm.error).toBeVisible();
      await checkPage(page, testInfo, viewport, "list-validation-error");

      // The CSRF failure page: a form sent without the token's cookie.
      await page.context().clearCookies({ name: "csrftoken" });
      await anonymous.itemForm.submit("Too late");
      await expect(page.locator("h1")).toContainText("Forbidden");
      await expect(page.locator("main")).toContainText("reload the page and try again");
      await checkPage(page, testInfo, viewport, "error-csrf");

      await preAuthenticatedSession(OWNER);
      await home.goto();
      await checkPage(page, testInfo, viewport, "home-logged-in");

      // A shared list with a long name, a done item and a long unbroken item.
      const list = await home.startList("Plan the summer holiday with the whole family and the neighbours");
      await list.addItem("Book the ferry");
      await list.addItem("Pack sunscreen, hats, towels, buckets, spades and the inflatable crocodile");
      await list.addItem("x".repeat(120));
      await list.toggleDone("Book the ferry");
      await list.shareWith(SHAREE);
      await expect(list.sharees).toHaveText([SHAREE]);
      await checkPage(page, testInfo, viewport, "list-owner");

      await list.startEditing("Book the ferry");
      await checkPage(page, testInfo, viewport, "edit-item");
      await page.goBack();

      await list.askToDelete();
      await checkPage(page, testInfo, viewport, "delete-list-confirmation");
      await page.goBack();

      // A deleted item's flash with its Undo button.
      await list.deleteItem("x".repeat(120));
      await expect(list.undoButton).toBeVisible();
      await checkPage(page, testInfo, viewport, "list-undo");
      await list.undo();

      const myLists = await new MyListsPage(page).goto(OWNER);
      await expect(myLists.ownListsHeading(OWNER)).toBeVisible();
      await checkPage(page, testInfo, viewport, "my-lists");

      // The sharee's view of the list, with "Leave list"; and their My Lists.
      const oni = await newUserPage();
      await oni.setViewportSize(size);
      await preAuthenticatedSession(SHAREE, oni);
      const oniLists = await new MyListsPage(oni).goto(SHAREE);
      await oniLists.openList("Plan the summer holiday with the whole family and the neighbours");
      await expect(new ListPage(oni).leaveListButton).toBeVisible();
      await checkPage(oni, testInfo, viewport, "list-sharee");
      await new ListPage(oni).askToLeave();
      await checkPage(oni, testInfo, viewport, "leave-list-confirmation");

      // The login confirmation page: a link opened in another browser than the one that asked.
      const asker = await newUserPage();
      const askerHome = await new HomePage(asker).goto();
      await askerHome.navbar.requestLoginEmail(VISITOR);
      await expect(asker.locator(".alert-success")).toBeVisible();
      const link = (await latestEmail(VISITOR)).text.trim().split("\n").at(-1) ?? "";
      const elsewhere = await newUserPage();
      await elsewhere.setViewportSize(size);
      await new LoginPage(elsewhere).openConfirmation(link, VISITOR);
      await checkPage(elsewhere, testInfo, viewport, "login-confirmation");
    });
  });
}
