import { expect, type Locator, test } from "./fixtures.ts";

async function expectCentred(input: Locator) {
  const box = await input.boundingBox();
  expect(box).not.toBeNull();
  const centre = (box?.x ?? 0) + (box?.width ?? 0) / 2;
  expect(Math.abs(centre - 512)).toBeLessThanOrEqual(10);
}

test("the item input is nicely centred, on home and list pages", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/");
  await expectCentred(page.locator("#id_text"));

  await page.locator("#id_text").fill("testing");
  await page.locator("#id_text").press("Enter");
  await expect(page.locator("#id_list_table tr")).toHaveText(["1: testing"]);
  await expectCentred(page.locator("#id_text"));
});

test("Bootstrap styles are applied", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator(".navbar")).toBeVisible();
  await expect(page.getByRole("link", { name: "Superlists" })).toHaveAttribute("href", "/");
  // Bootstrap's large form control: only true if the stylesheet loaded.
  await expect(page.locator("#id_text")).toHaveCSS("font-size", "20px");
});
