import { expect, type Locator, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";

async function expectCentred(input: Locator) {
  const box = await input.boundingBox();
  expect(box).not.toBeNull();
  const centre = (box?.x ?? 0) + (box?.width ?? 0) / 2;
  expect(Math.abs(centre - 512)).toBeLessThanOrEqual(10);
}

test("the item input is nicely centred, on home and list pages", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const home = await new HomePage(page).goto();
  await expectCentred(home.itemForm.input);

  const list = await home.startList("testing");
  await expectCentred(list.itemForm.input);
});

test("Bootstrap styles are applied", async ({ page }) => {
  const home = await new HomePage(page).goto();
  await expect(home.navbar.root).toBeVisible();
  await expect(home.navbar.brand).toHaveAttribute("href", "/");
  // Bootstrap's large form control: only true if the stylesheet loaded.
  await expect(home.itemForm.input).toHaveCSS("font-size", "20px");
});
