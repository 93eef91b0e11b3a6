// A list's page: its items and their controls, the add-item form, sharing, and
// renaming, deleting or leaving the list. Selectors live here, not in the specs.
import { expect, type Locator, type Page } from "@playwright/test";
import { ItemForm } from "./item-form.ts";
import { Navbar } from "./navbar.ts";

export class ListPage {
  readonly page: Page;
  readonly navbar: Navbar;
  readonly itemForm: ItemForm;
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly owner: Locator;
  readonly sharees: Locator;
  readonly shareInput: Locator;
  readonly shareError: Locator;
  /** "N of M done". */
  readonly status: Locator;
  readonly clearCompletedButton: Locator;
  /** The flash's Undo, after deleting an item or clearing. */
  readonly undoButton: Locator;
  readonly nameInput: Locator;
  readonly nameError: Locator;
  readonly renameButton: Locator;
  readonly deleteListButton: Locator;
  readonly leaveListButton: Locator;
  readonly successMessage: Locator;
  readonly warningMessage: Locator;

  constructor(page: Page) {
    this.page = page;
    this.navbar = new Navbar(page);
    this.itemForm = new ItemForm(page);
    this.heading = page.locator("h1");
    this.table = page.locator("#id_list_table");
    this.rows = this.table.getByRole("row");
    this.owner = page.locator("#id_list_owner");
    this.sharees = page.locator("li.list-sharee");
    this.shareInput = page.locator('input[name="sharee"]');
    this.shareError = page.locator("#id_sharee_feedback");
    this.status = page.locator("#id_list_status");
    this.clearCompletedButton = page.getByRole("button", { name: "Clear completed" });
    this.undoButton = page.getByRole("button", { name: "Undo" });
    this.nameInput = page.getByLabel("List name");
    this.nameError = page.locator("#id_list_name_feedback");
    this.renameButton = page.getByRole("button", { name: "Rename list" });
    this.deleteListButton = page.getByRole("button", { name: "Delete list" });
    this.leaveListButton = page.getByRole("button", { name: "Leave list" });
    this.successMessage = page.locator(".alert.alert-success");
    this.warningMessage = page.locator(".alert.alert-warning");
  }

  /** What a page whose list is gone, or out of the user's reach, says. */
  get noAccessMessage(): Locator {
    return this.page.getByText("There is no such list, or you don't have access to it.");
  }

  /** How far down the page is scrolled, in CSS pixels. */
  scrollPosition(): Promise<number> {
    return this.page.evaluate(() => window.scrollY);
  }

  async scrollTo(y: number): Promise<void> {
    await this.page.evaluate((top) => window.scrollTo({ top, behavior: "instant" }), y);
    await expect.poll(() => this.scrollPosition()).toBe(y);
  }

  async goto(url: string): Promise<this> {
    await this.page.goto(url);
    return this;
  }

  /** Adds an item and waits until its row (number `expectedNumber`) is shown. */
  async addItem(text: string, expectedNumber?: number): Promise<void> {
    const count = expectedNumber ?? (await this.rows.count()) + 1;
    await this.itemForm.submit(text);
    await expect(this.rows.nth(count - 1)).toHaveText(`${count}: ${text}`);
  }

  async expectItems(texts: string[]): Promise<void> {
    await expect(this.rows).toHaveText(texts.map((text, index) => `${index + 1}: ${text}`));
  }

  doneButton(item: string): Locator {
    return this.page.getByRole("button", { name: `Done: ${item}`, exact: true });
  }

  editButton(item: string): Locator {
    return this.page.getByRole("button", { name: `Edit: ${item}`, exact: true });
  }

  deleteButton(item: string): Locator {
    return this.page.getByRole("button", { name: `Delete: ${item}`, exact: true });
  }

  async toggleDone(item: string): Promise<void> {
    const pressed = await this.doneButton(item).getAttribute("aria-pressed");
    await this.doneButton(item).click();
    await expect(this.doneButton(item)).toHaveAttribute("aria-pressed", pressed === "true" ? "false" : "true");
  }

  /** Opens the item's edit form (a page of its own: no JavaScript needed). */
  async startEditing(item: string): Promise<ItemForm> {
    await this.editButton(item).click();
    await expect(this.heading).toHaveText("Edit item");
    return this.itemForm;
  }

  async editItem(item: string, newText: string): Promise<void> {
    const form = await this.startEditing(item);
    await form.submit(newText);
    await expect(this.doneButton(newText)).toBeVisible();
  }

  async deleteItem(item: string): Promise<void> {
    await this.deleteButton(item).click();
    await expect(this.doneButton(item)).toHaveCount(0);
  }

  removeShareeButton(email: string): Locator {
    return this.page.getByRole("button", { name: `Remove ${email}`, exact: true });
  }

  async removeSharee(email: string): Promise<void> {
    await this.removeShareeButton(email).click();
    await expect(this.successMessage).toHaveText(`${email} no longer has access to this list.`);
  }

  /** Clears the done items: resolves once none is left and the flash offers Undo. */
  async clearCompleted(): Promise<void> {
    await this.clearCompletedButton.click();
    await expect(this.clearCompletedButton).toHaveCount(0);
    await expect(this.undoButton).toBeVisible();
  }

  async undo(): Promise<void> {
    await this.undoButton.click();
    await expect(this.successMessage).toContainText("back.");
  }

  async shareWith(email: string): Promise<void> {
    await this.shareInput.fill(email);
    await this.shareInput.press("Enter");
  }

  async rename(name: string): Promise<void> {
    await this.nameInput.fill(name);
    await this.renameButton.click();
  }

  /** Asks to delete the list: resolves on the confirmation page. */
  async askToDelete(): Promise<void> {
    await this.deleteListButton.click();
    await expect(this.heading).toHaveText("Delete this list?");
  }

  /** Deletes the list, confirming on the confirmation page. */
  async deleteList(): Promise<void> {
    await this.askToDelete();
    await this.deleteListButton.click();
    await expect(this.successMessage).toHaveText("The list was deleted.");
  }

  /** Asks to leave the list: resolves on the confirmation page. */
  async askToLeave(): Promise<void> {
    await this.leaveListButton.click();
    await expect(this.heading).toHaveText("Leave this list?");
  }

  /** Leaves the list, confirming on the confirmation page. */
  async leave(): Promise<void> {
    await this.askToLeave();
    await this.leaveListButton.click();
    await expect(this.successMessage).toContainText("You left the list");
  }
}
