// "My Lists": the user's lists, then the lists shared with them.
import { expect, type Locator, type Page } from "@playwright/test";

export class MyListsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly sharedHeading: Locator;
  readonly newListButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.locator("h1");
    this.newListButton = page.getByRole("link", { name: "New list" });
    this.sharedHeading = page.getByRole("heading", { name: "Lists shared by other users" });
  }

  async goto(email: string): Promise<this> {
    await this.page.goto(`/lists/users/${encodeURIComponent(email)}/`);
    await expect(this.heading).toHaveText("My Lists");
    return this;
  }

  ownListsHeading(email: string): Locator {
    return this.page.getByRole("heading", { name: `${email}'s lists` });
  }

  listLink(name: string): Locator {
    return this.page.getByRole("link", { name, exact: true });
  }

  /** A list's line: its name, then (owner, and) how many items it holds. */
  listEntry(name: string): Locator {
    return this.page.locator(".list-links li").filter({ has: this.listLink(name) });
  }

  async openList(name: string): Promise<void> {
    await this.listLink(name).click();
  }
}
