import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listItems, listSharees } from "../../src/lists/list-store.ts";
import { htmlText, loggedInClient } from "../support/accounts.ts";
import { listIdFrom, shareeItems, tableRows } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const OWNER = "owner@example.com";
const SHAREE = "sharee@example.com";
const OTHER = "other@example.com";

type Who = "anonymous" | "owner" | "sharee" | "other user";

let testApp: TestApp;
let clients: Record<Who, TestClient>;
let ownedList: string;
let ownerlessList: string;

async function newList(client: TestClient, text: string): Promise<string> {
  const response = await client.post("/lists/new", { text });
  expect(response.status).toBe(302);
  return listIdFrom(response.headers.get("Location"));
}

beforeAll(async () => {
  testApp = await createTestApp();
  clients = {
    anonymous: testApp.client(),
    owner: await loggedInClient(testApp, OWNER),
    sharee: await loggedInClient(testApp, SHAREE),
    "other user": await loggedInClient(testApp, OTHER),
  };
  ownedList = await newList(clients.owner, "Owned list");
  expect((await clients.owner.post(`/lists/${ownedList}/share`, { sharee: SHAREE })).status).toBe(302);
  ownerlessList = await newList(clients.anonymous, "Ownerless list");
});
afterAll(() => testApp.close());

describe.each([
  // who, GET list, POST item, POST share, GET the owner's My Lists
  ["anonymous", 404, 404, 404, 403],
  ["owner", 200, 302, 302, 200],
  ["sharee", 200, 302, 403, 403],
  ["other user", 404, 404, 404, 403],
] as const)("an owned list, for the %s", (who, getList, postItem, postShare, getMyLists) => {
  test(`GET the list → ${getList}`, async () => {
    const response = await clients[who].get(`/lists/${ownedList}/`);
    expect(response.status).toBe(getList);
    if (getList === 200) expect(tableRows(await response.text())[0]).toBe("1: Owned list");
  });

  test(`POST an item → ${postItem}, stored only when allowed`, async () => {
    const text = `Item from the ${who}`;
    expect((await clients[who].post(`/lists/${ownedList}/`, { text })).status).toBe(postItem);
    expect((await listItems(testApp.database.db, ownedList)).includes(text)).toBe(postItem === 302);
  });

  test(`POST a share → ${postShare}, recorded only when allowed`, async () => {
    const friend = `friend-of-${who.replace(" ", "-")}@example.com`;
    expect((await clients[who].post(`/lists/${ownedList}/share`, { sharee: friend })).status).toBe(postShare);
    expect((await listSharees(testApp.database.db, ownedList)).includes(friend)).toBe(postShare === 302);
  });

  test(`GET the owner's My Lists → ${getMyLists}`, async () => {
    const response = await clients[who].get(`/lists/users/${encodeURIComponent(OWNER)}/`);
    expect(response.status).toBe(getMyLists);
    const page = await response.text();
    if (getMyLists === 200) expect(page).toContain(`/lists/${ownedList}/`);
    else expect(page).not.toContain(ownedList);
  });
});

describe.each([
  // who, GET list, POST item, POST share (nobody owns it, so nobody may share it)
  ["anonymous", 200, 302, 403],
  ["owner", 200, 302, 403],
  ["sharee", 200, 302, 403],
  ["other user", 200, 302, 403],
] as const)("an ownerless list (reachable by its URL), for the %s", (who, getList, postItem, postShare) => {
  test(`GET the list → ${getList}`, async () => {
    const response = await clients[who].get(`/lists/${ownerlessList}/`);
    expect(response.status).toBe(getList);
    const page = await response.text();
    expect(tableRows(page)[0]).toBe("1: Ownerless list");
    expect(page).not.toContain('id="id_list_owner"');
    expect(page).not.toContain('name="sharee"');
  });

  test(`POST an item → ${postItem}`, async () => {
    const text = `Ownerless item from the ${who}`;
    expect((await clients[who].post(`/lists/${ownerlessList}/`, { text })).status).toBe(postItem);
    expect(await listItems(testApp.database.db, ownerlessList)).toContain(text);
  });

  test(`POST a share → ${postShare}, nothing recorded`, async () => {
    const response = await clients[who].post(`/lists/${ownerlessList}/share`, { sharee: "x@example.com" });
    expect(response.status).toBe(postShare);
    expect(await listSharees(testApp.database.db, ownerlessList)).toEqual([]);
  });
});

test("an ownerless list is on nobody's My Lists, and anonymous visitors have no My Lists", async () => {
  for (const [who, email] of [
    ["owner", OWNER],
    ["sharee", SHAREE],
    ["other user", OTHER],
  ] as const) {
    const response = await clients[who].get(`/lists/users/${encodeURIComponent(email)}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain(ownerlessList);
  }
  expect((await clients.anonymous.get(`/lists/users/${encodeURIComponent(OWNER)}/`)).status).toBe(403);
});

describe("no hint that a private list exists", () => {
  test("outsiders get exactly the page a list that never existed gives", async () => {
    const missing = "0123456789abcdef0123456789abcdef";
    for (const who of ["anonymous", "other user"] as const) {
      const client = clients[who];
      for (const [method, suffix] of [
        ["GET", "/"],
        ["POST", "/"],
        ["POST", "/share"],
      ] as const) {
        const send = (id: string) =>
          method === "GET"
            ? client.get(`/lists/${id}${suffix}`)
            : client.post(`/lists/${id}${suffix}`, { text: "x", sharee: "x@example.com" });
        const [existing, neverExisted] = [await send(ownedList), await send(missing)];
        expect(existing.status).toBe(404);
        const page = await existing.text();
        expect(page.replaceAll(ownedList, missing)).toBe(await neverExisted.text());
        expect(page).not.toContain(OWNER);
      }
    }
  });
});

describe("the owner's list page", () => {
  test("shows the owner and the sharees, and the share form to the owner only", async () => {
    const ownerPage = await (await clients.owner.get(`/lists/${ownedList}/`)).text();
    expect(ownerPage).toContain(`List owner: <span id="id_list_owner" dir="auto">${OWNER}</span>`);
    expect(shareeItems(ownerPage)).toContain(SHAREE);
    expect(ownerPage).toMatch(/<input[^>]*name="sharee"[^>]*placeholder="your-friend@example.com"/);

    const shareePage = await (await clients.sharee.get(`/lists/${ownedList}/`)).text();
    expect(shareePage).toContain(`<span id="id_list_owner" dir="auto">${OWNER}</span>`);
    expect(shareePage).not.toContain('name="sharee"');
  });
});

describe("My Lists", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  function listLinks(section: string) {
    return [
      ...section.matchAll(
        /<li><a href="\/lists\/([0-9a-f]{32})\/"[^>]*>([^<]*)<\/a>(?: <span[^>]*>\((?:<bdi>([^<]*)<\/bdi>, )?\d+ items?\)<\/span>)?/g,
      ),
    ].map(([, id, name, owner]) => ({ id, name: htmlText(name ?? ""), owner }));
  }

  test("shows the user's lists named by first item, then the lists shared with them and by whom", async () => {
    const alice = await loggedInClient(app, "alice@example.com");
    const bob = await loggedInClient(app, "bob@example.com");
    const first = await newList(alice, "Buy milk");
    await alice.post(`/lists/${first}/`, { text: "Buy bread" });
    const second = await newList(alice, "Alice's plans");
    const fromBob = await newList(bob, "Bob's party");
    await bob.post(`/lists/${fromBob}/share`, { sharee: "Alice@Example.com" });

    const response = await alice.get("/lists/users/alice@example.com/");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/<h1[^>]*>My Lists<\/h1>/);
    const [own = "", shared = ""] = page.split("Lists shared by other users");
    expect(htmlText(own.replace(/<[^>]+>/g, ""))).toContain("alice@example.com's lists");
    expect(listLinks(own)).toEqual([
      { id: first, name: "Buy milk", owner: undefined },
      { id: second, name: "Alice's plans", owner: undefined },
    ]);
    expect(listLinks(shared)).toEqual([{ id: fromBob, name: "Bob's party", owner: "bob@example.com" }]);
  });

  test("is reached by the navbar link, whatever the case of the address in the URL", async () => {
    const carol = await loggedInClient(app, "carol@example.com");
    const home = await (await carol.get("/")).text();
    const link = home.match(/href="(\/lists\/users\/[^"]+\/)">My lists</)?.[1];
    expect(link).toBe("/lists/users/carol%40example.com/");
    for (const path of [link ?? "", "/lists/users/Carol%40Example.COM/"]) {
      const response = await carol.get(path);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toMatch(/<h1[^>]*>My Lists<\/h1>/);
      expect(htmlText(page.replace(/<[^>]+>/g, ""))).toContain("carol@example.com's lists");
    }
  });

  test("another user's page answers the same whether or not that address has an account", async () => {
    const dave = await loggedInClient(app, "dave@example.com");
    await loggedInClient(app, "existing@example.com");
    const existing = await dave.get("/lists/users/existing@example.com/");
    const unknown = await dave.get("/lists/users/nobody@example.com/");
    expect(existing.status).toBe(unknown.status);
    expect(await existing.text()).toBe(await unknown.text());
  });

  test("sharing answers the same whether or not the sharee has an account", async () => {
    const erin = await loggedInClient(app, "erin@example.com");
    await loggedInClient(app, "has-account@example.com");
    const list = await newList(erin, "Erin's list");
    const known = await erin.post(`/lists/${list}/share`, { sharee: "has-account@example.com" });
    const unknown = await erin.post(`/lists/${list}/share`, { sharee: "no-account@example.com" });
    expect([known.status, known.headers.get("Location")]).toEqual([unknown.status, unknown.headers.get("Location")]);
    expect(await listSharees(app.database.db, list)).toEqual(["has-account@example.com", "no-account@example.com"]);
  });

  test("a bad sharee address is a form error on the list page, not a crash", async () => {
    const frank = await loggedInClient(app, "frank@example.com");
    const list = await newList(frank, "Frank's list");
    const response = await frank.post(`/lists/${list}/share`, { sharee: "not an email" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Please enter a valid email address.");
    expect(tableRows(page)).toEqual(["1: Frank&#39;s list"]);
    expect(await listSharees(app.database.db, list)).toEqual([]);
  });
});
