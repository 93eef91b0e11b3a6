// The item input (home, list and edit pages) and its error, as SPEC.md's UI contract names them.
import type { Locator, Page } from "@playwright/test";

export class ItemForm {
  readonly input: Locator;
  readonly error: Locator;
  /** Any element styled as a form error: the item input's must be the only one. */
  readonly anyError: Locator;

  constructor(page: Page) {
    this.input = page.locator("#id_text");
    this.error = page.locator("#id_text_feedback");
    this.anyError = page.locator(".invalid-feedback");
  }

  /** Types the text and presses Enter (what the functional tests of the book do). */
  async submit(text: string): Promise<void> {
    await this.input.fill(text);
    await this.input.press("Enter");
  }
}
