// What the throughput table measures: each scenario is one kind of request, its
// success rule, and (for some) a target as a fraction of the bare node:http server.
import { DJANGO_CSRF, type PeerSeed } from "./django-peer.ts";
import { isSuccessfulPage, type LoadRequest } from "./load.ts";
import { formPost, SESSION_COOKIE, type Seed } from "./seed.ts";
import type { ServerProcess } from "./server-process.ts";

export type Scenario = {
  name: string;
  request: LoadRequest;
  /** Minimum req/s as a fraction of the bare server's, if this scenario has a target. */
  target?: number;
};

/** One of the Django peer's scenarios: the same request to the book's app as `ours` is to ours. */
export type PeerScenario = Scenario & {
  /** The name of our scenario it is compared with. */
  ours: string;
  /** Minimum of the peer's server CPU per request over ours: how many of our requests a core serves for each of its. */
  minimumRatio: number;
};

export const BARE_SCENARIO = "bare node:http, home page size";
const HOME_SCENARIO = "GET / (home)";
export const LIST_OF_10_SCENARIO = "GET a list of 10 items";
const LIST_OF_1000_SCENARIO = "GET a list of 1,000 items";
const ADD_ITEM_SCENARIO = "POST add item (302)";
/** autocannon replaces a literal (not URL-encoded) `[<id>]` in a body with a new id on every request. */
const NEW_ITEM_FIELD = "&text=bench+item+[<id>]";

function page(server: ServerProcess, path: string, headers: Record<string, string> = {}): LoadRequest {
  return { url: `${server.url}${path}`, headers, success: isSuccessfulPage, serverCpuSeconds: server.cpuSeconds };
}

export function bareScenario(bare: ServerProcess): Scenario {
  return { name: BARE_SCENARIO, request: page(bare, "/") };
}

export function homeScenario(app: ServerProcess): Scenario {
  // A first visit: no cookies, so the server also makes a CSRF token and sets its cookie.
  return { name: HOME_SCENARIO, request: page(app, "/"), target: 0.5 };
}

export function appScenarios(app: ServerProcess, seed: Seed): Scenario[] {
  // Every request adds a new item.
  const addItem = formPost(seed.csrfToken, {});
  addItem.body += NEW_ITEM_FIELD;
  return [
    homeScenario(app),
    { name: LIST_OF_10_SCENARIO, request: page(app, `/lists/${seed.listOf10}/`), target: 0.25 },
    {
      name: "GET an owner's list of 10, shared",
      request: page(app, `/lists/${seed.ownedListOf10}/`, { Cookie: `${SESSION_COOKIE}=${seed.ownerSessionKey}` }),
    },
    { name: LIST_OF_1000_SCENARIO, request: page(app, `/lists/${seed.listOf1000}/`), target: 0.033 },
    {
      name: ADD_ITEM_SCENARIO,
      request: { ...page(app, `/lists/${seed.listForPosts}/`), ...addItem, success: (status) => status === 302 },
      target: 0.12,
    },
    {
      name: "GET My Lists, 100 lists",
      request: page(app, seed.myListsPath, { Cookie: `${SESSION_COOKIE}=${seed.sessionKey}` }),
    },
  ];
}

export function peerScenarios(peer: ServerProcess, seed: PeerSeed): PeerScenario[] {
  const addItem = formPost(seed.csrfToken, {}, {}, DJANGO_CSRF);
  addItem.body += NEW_ITEM_FIELD;
  const django = (ours: string) => `Django: ${ours}`;
  return [
    { name: django(HOME_SCENARIO), ours: HOME_SCENARIO, request: page(peer, "/"), minimumRatio: 15 },
    {
      name: django(LIST_OF_10_SCENARIO),
      ours: LIST_OF_10_SCENARIO,
      request: page(peer, `/lists/${seed.listOf10}/`),
      minimumRatio: 15,
    },
    {
      name: django(LIST_OF_1000_SCENARIO),
      ours: LIST_OF_1000_SCENARIO,
      request: page(peer, `/lists/${seed.listOf1000}/`),
      minimumRatio: 10,
    },
    {
      name: django(ADD_ITEM_SCENARIO),
      ours: ADD_ITEM_SCENARIO,
      request: { ...page(peer, `/lists/${seed.listForPosts}/`), ...addItem, success: (status) => status === 302 },
      minimumRatio: 15,
    },
  ];
}
