// Lists that feel live across processes (issue 22): a change made through one process
// reaches a page served by another: `serve --workers 2`, two servers sharing one
// PostgreSQL, and a server restarted under an open page. These start their own servers,
// so they run against the suite's own database, not against a TEST_SERVER.
import type { Browser } from "@playwright/test";
import { type ServerProcess, SUPERLISTS_CLI, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { expect, test } from "./fixtures.ts";
import { HomePage } from "./pages/home-page.ts";
import { ListPage } from "./pages/list-page.ts";

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

test.skip(Boolean(process.env.TEST_SERVER), "starts servers of its own on the suite's database");

let database: TestDatabase;
const servers: ServerProcess[] = [];

test.beforeEach(async () => {
  database = await createTestDatabase();
});
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await database.drop();
});

async function serve(options: string[] = [], port?: string): Promise<ServerProcess> {
  const env = { SUPERLISTS_ENV: "test", DATABASE_URL: database.url, EMAIL_BACKEND: "memory" };
  const server = await startServerProcess(port ? { ...env, PORT: port } : env, [
    ...SUPERLISTS_CLI,
    "serve",
    ...options,
  ]);
  servers.push(server);
  return server;
}

/** A new browser (its own cookies and connections) on `url`. */
async function openIn(browser: Browser, url: string): Promise<ListPage> {
  return new ListPage(await (await browser.newContext()).newPage()).goto(url);
}

async function startedList(browser: Browser, baseURL: string): Promise<ListPage> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  return (await new HomePage(page).goto()).startList("Buy milk");
}

test("with serve --workers 2, a change made through one worker shows on pages the other serves", async ({
  browser,
}) => {
  const server = await serve(["--workers", "2"]);
  await expect.poll(() => server.logLines().filter((line) => line.msg === "listening").length).toBe(2);
  const edith = await startedList(browser, server.url);
  // Several browsers, each with connections of its own: the primary spreads them over both workers.
  const others = await Promise.all([1, 2, 3].map(() => openIn(browser, edith.page.url())));
  await edith.addItem("Buy eggs");
  for (const other of others) await other.expectItems(["Buy milk", "Buy eggs"]);
});

test("two servers sharing one PostgreSQL: a change made on one shows on the other's pages", async ({ browser }) => {
  test.skip(!onPostgres, "servers share changes through PostgreSQL (LISTEN/NOTIFY); run with TEST_DATABASE_URL");
  const first = await serve();
  const second = await serve();
  const edith = await startedList(browser, first.url);
  const oni = await openIn(browser, edith.page.url().replace(first.url, second.url));
  await edith.addItem("Buy eggs");
  await oni.expectItems(["Buy milk", "Buy eggs"]);
  await oni.toggleDone("Buy milk");
  await expect(edith.doneButton("Buy milk")).toHaveAttribute("aria-pressed", "true");
});

test("a page open while its server restarts reconnects by itself and catches up", async ({ browser }) => {
  const before = await serve();
  const edith = await startedList(browser, before.url);
  const oni = await openIn(browser, edith.page.url());
  const port = new URL(before.url).port;
  await before.stop();
  servers.splice(servers.indexOf(before), 1);
  const after = await serve([], port);
  const edithAgain = await openIn(browser, edith.page.url().replace(before.url, after.url));
  await edithAgain.addItem("Buy eggs");
  await oni.expectItems(["Buy milk", "Buy eggs"]);
});
