// Logging in from the link in the email, and the confirmation page ("Log in to
// Superlists as EMAIL?") shown when the link is opened in another browser than the
// one that asked for it.
import { expect, type Page } from "@playwright/test";

export class LoginPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async followLink(link: string): Promise<void> {
    await this.page.goto(link);
  }

  /** Opens the link in a browser that did not ask for it: the confirmation page. */
  async openConfirmation(link: string, email: string): Promise<void> {
    await this.page.goto(link);
    await expect(this.page.locator("main")).toContainText(`Log in to Superlists as ${email}?`);
  }

  /** The confirmation page's button (the navbar has a "Log in" button of its own). */
  async confirm(): Promise<void> {
    await this.page.locator("#id_confirm_login").click();
  }

  async expectInvalidLink(): Promise<void> {
    await expect(this.page.locator(".alert-warning")).toHaveText("Invalid login link, please request a new one");
  }
}
