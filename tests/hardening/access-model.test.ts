// Access control as random sequences of actions by anonymous visitors and three
// users, checked against a small model of the spec's rules after every step:
// a list with an owner is seen and edited only by its owner and sharees, only the
// owner shares, an ownerless list is open to whoever has its URL, My Lists only
// for its own user. The fixed matrix (anonymous/owner/sharee/other × each route)
// is tests/integration/access-control.test.ts; this searches the orders of
// events it does not try (shares after items, sharees of sharees, re-shares…).
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createSession } from "../../src/accounts/sessions.ts";
import { listIdFrom, tableRows } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";
import { escapeHtml, sharees } from "./support/html-checks.ts";
import { checkProperty, PROPERTY_TIMEOUT_MS } from "./support/properties.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

const USERS = ["alice", "bob", "carol"] as const;
type User = (typeof USERS)[number];
type Actor = User | "anonymous";
const ACTORS: readonly Actor[] = ["anonymous", ...USERS];

type ModelList = { owner: User | null; items: string[]; sharees: User[] };
type Model = { lists: ModelList[] };
type Real = { clients: Record<Actor, TestClient>; emails: Record<User, string>; ids: string[] };

const canView = (list: ModelList, actor: Actor) =>
  list.owner === null || (actor !== "anonymous" && (list.owner === actor || list.sharees.includes(actor)));

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;

/** Steps run, per kind of action: reported with the case count so the coverage is visible. */
const stepsRun = new Map<string, number>();
const step = (kind: string) => stepsRun.set(kind, (stepsRun.get(kind) ?? 0) + 1);

/** Few texts, so that duplicates happen; some need escaping. */
const itemText = fc.constantFrom("Buy milk", "Buy eggs", "<b>Bake</b> bread", "Tea & 'cake'");

function createList(actor: Actor, text: string): fc.AsyncCommand<Model, Real> {
  return {
    check: () => true,
    async run(model, real) {
      step("CreateList");
      const response = await real.clients[actor].post("/lists/new", { text });
      expect(response.status).toBe(302);
      real.ids.push(listIdFrom(response.headers.get("Location")));
      model.lists.push({ owner: actor === "anonymous" ? null : actor, items: [text], sharees: [] });
    },
    toString: () => `${actor} creates a list with ${JSON.stringify(text)}`,
  };
}

const hasLists = (model: Readonly<Model>) => model.lists.length > 0;

function viewList(actor: Actor, index: number): fc.AsyncCommand<Model, Real> {
  return {
    check: hasLists,
    async run(model, real) {
      step("ViewList");
      const list = pick(model.lists, index);
      const response = await real.clients[actor].get(`/lists/${pick(real.ids, index)}/`);
      if (!canView(list, actor)) {
        expect(response.status).toBe(404);
        return;
      }
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(tableRows(page)).toEqual(list.items.map((text, n) => `${n + 1}: ${escapeHtml(text)}`));
      if (list.owner === null) {
        expect(page).not.toContain('id="id_list_owner"');
      } else {
        expect(page).toContain(`<span id="id_list_owner" dir="auto">${real.emails[list.owner]}</span>`);
        expect(new Set(sharees(page))).toEqual(new Set(list.sharees.map((user) => real.emails[user])));
        expect(page.includes('name="sharee"')).toBe(list.owner === actor);
      }
    },
    toString: () => `${actor} views list #${index}`,
  };
}

function addItem(actor: Actor, index: number, text: string): fc.AsyncCommand<Model, Real> {
  return {
    check: hasLists,
    async run(model, real) {
      step("AddItem");
      const list = pick(model.lists, index);
      const response = await real.clients[actor].post(`/lists/${pick(real.ids, index)}/`, { text });
      if (!canView(list, actor)) expect(response.status).toBe(404);
      else if (list.items.includes(text)) expect(response.status).toBe(400);
      else {
        expect(response.status).toBe(302);
        list.items.push(text);
      }
    },
    toString: () => `${actor} adds ${JSON.stringify(text)} to list #${index}`,
  };
}

function share(actor: Actor, index: number, sharee: User): fc.AsyncCommand<Model, Real> {
  return {
    check: hasLists,
    async run(model, real) {
      step("Share");
      const list = pick(model.lists, index);
      const response = await real.clients[actor].post(`/lists/${pick(real.ids, index)}/share`, {
        // Typed in another case than stored: the same person.
        sharee: real.emails[sharee].toUpperCase(),
      });
      if (!canView(list, actor)) expect(response.status).toBe(404);
      else if (list.owner !== actor) expect(response.status).toBe(403);
      else {
        expect(response.status).toBe(302);
        if (sharee !== list.owner && !list.sharees.includes(sharee)) list.sharees.push(sharee);
      }
    },
    toString: () => `${actor} shares list #${index} with ${sharee}`,
  };
}

async function creationTimes(listIds: (string | undefined)[]): Promise<Map<string | undefined, number>> {
  const ids = listIds.filter((id) => id !== undefined);
  if (ids.length === 0) return new Map();
  const rows = await testApp.database.db
    .selectFrom("lists")
    .select(["id", "created_at"])
    .where("id", "in", ids)
    .execute();
  return new Map(rows.map((row) => [row.id, Number(row.created_at)]));
}

function myLists(actor: Actor, whose: User): fc.AsyncCommand<Model, Real> {
  return {
    check: () => true,
    async run(model, real) {
      step("MyLists");
      const response = await real.clients[actor].get(`/lists/users/${encodeURIComponent(real.emails[whose])}/`);
      if (actor !== whose) {
        expect(response.status).toBe(403);
        return;
      }
      expect(response.status).toBe(200);
      const page = await response.text();
      const linked = [...page.matchAll(/href="\/lists\/([0-9a-f]{32})\/"/g)].map((match) => match[1]);
      const owned = model.lists.flatMap((list, n) => (list.owner === whose ? [real.ids[n]] : []));
      const shared = model.lists.flatMap((list, n) => (list.sharees.includes(whose) ? [real.ids[n]] : []));
      // Owned lists first, in creation order; then the shared ones. Lists made in the same
      // millisecond have no order between them to keep: the page may show those either way.
      const createdAt = await creationTimes(owned);
      const shownOwned = linked.slice(0, owned.length);
      expect(new Set(shownOwned)).toEqual(new Set(owned));
      expect(shownOwned.map((id) => createdAt.get(id))).toEqual(owned.map((id) => createdAt.get(id)));
      expect(new Set(linked.slice(owned.length))).toEqual(new Set(shared));
      expect(linked).toHaveLength(owned.length + shared.length);
    },
    toString: () => `${actor} opens ${whose}'s My Lists`,
  };
}

function guessList(actor: Actor): fc.AsyncCommand<Model, Real> {
  return {
    check: () => true,
    async run(_model, real) {
      step("GuessList");
      expect((await real.clients[actor].get(`/lists/${randomBytes(16).toString("hex")}/`)).status).toBe(404);
    },
    toString: () => `${actor} guesses a list URL`,
  };
}

let run = 0;

test("random sequences of creates, views, adds, shares and My Lists visits follow the access rules", {
  timeout: PROPERTY_TIMEOUT_MS,
}, async () => {
  const actor = fc.constantFrom(...ACTORS);
  const user = fc.constantFrom(...USERS);
  const index = fc.nat({ max: 20 });
  const commands = fc.commands(
    [
      fc.tuple(actor, itemText).map(([who, text]) => createList(who, text)),
      fc.tuple(actor, index).map(([who, n]) => viewList(who, n)),
      fc.tuple(actor, index, itemText).map(([who, n, text]) => addItem(who, n, text)),
      fc.tuple(actor, index, user).map(([who, n, sharee]) => share(who, n, sharee)),
      fc.tuple(actor, user).map(([who, whose]) => myLists(who, whose)),
      actor.map((who) => guessList(who)),
    ],
    { maxCommands: 30, size: "max" },
  );
  await checkProperty(
    "access-control command sequences",
    fc.asyncProperty(commands, async (sequence) => {
      // New people for every sequence: lists from earlier sequences never show on their My Lists.
      run++;
      const emails = Object.fromEntries(USERS.map((name) => [name, `${name}.${run}@example.com`])) as Record<
        User,
        string
      >;
      const clients = { anonymous: testApp.client() } as Record<Actor, TestClient>;
      for (const name of USERS) {
        clients[name] = testApp.client();
        clients[name].useSession(await createSession(testApp.database.db, emails[name], 3600));
      }
      await fc.asyncModelRun(() => ({ model: { lists: [] }, real: { clients, emails, ids: [] } }), sequence);
    }),
    { numRuns: 100 },
  );
  console.log(`[property] access-control steps run: ${JSON.stringify(Object.fromEntries(stepsRun))}`);
  expect(stepsRun.get("Share")).toBeGreaterThan(0);
});
