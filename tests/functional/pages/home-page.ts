// The home page: "Start a new To-Do list".
import { expect, type Page } from "@playwright/test";
import { ItemForm } from "./item-form.ts";
import { ListPage } from "./list-page.ts";
import { Navbar } from "./navbar.ts";

export class HomePage {
  readonly page: Page;
  readonly navbar: Navbar;
  readonly itemForm: ItemForm;

  constructor(page: Page) {
    this.page = page;
    this.navbar = new Navbar(page);
    this.itemForm = new ItemForm(page);
  }

  async goto(): Promise<this> {
    await this.page.goto("/");
    return this;
  }

  /** Starts a list with its first item; resolves on the new list's page. */
  async startList(firstItem: string): Promise<ListPage> {
    await this.itemForm.submit(firstItem);
    const list = new ListPage(this.page);
    await expect(list.rows).toHaveText([`1: ${firstItem}`]);
    return list;
  }

  /** Starts a list holding these items, in this order; resolves on its page. */
  async startListWith(firstItem: string, ...moreItems: string[]): Promise<ListPage> {
    const list = await this.startList(firstItem);
    for (const item of moreItems) await list.addItem(item);
    return list;
  }
}
