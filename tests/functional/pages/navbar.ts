// The navbar every page shares: logging in by email, "My lists", logging out.
import { expect, type Locator, type Page } from "@playwright/test";

export class Navbar {
  readonly page: Page;
  readonly root: Locator;
  readonly brand: Locator;
  readonly emailInput: Locator;
  readonly myListsLink: Locator;
  readonly logoutButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.locator(".navbar");
    this.brand = page.getByRole("link", { name: "Superlists" });
    this.emailInput = page.locator("#id_email_input");
    this.myListsLink = page.getByRole("link", { name: "My lists", exact: true });
    this.logoutButton = page.locator("#id_logout");
  }

  async requestLoginEmail(email: string): Promise<void> {
    await this.emailInput.fill(email);
    await this.emailInput.press("Enter");
  }

  async logOut(): Promise<void> {
    await this.logoutButton.click();
    await expect(this.emailInput).toBeVisible();
  }

  async goToMyLists(): Promise<void> {
    await this.myListsLink.click();
    await expect(this.page.locator("h1")).toHaveText("My Lists");
  }

  async expectLoggedIn(email: string): Promise<void> {
    await expect(this.logoutButton).toBeVisible();
    await expect(this.root).toContainText(`Logged in as ${email}`);
  }

  async expectLoggedOut(email: string): Promise<void> {
    await expect(this.emailInput).toBeVisible();
    await expect(this.root).not.toContainText(email);
  }
}
