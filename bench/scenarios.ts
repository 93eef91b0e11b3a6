// What the throughput table measures: each scenario is one kind of request, its
// success rule, and (for some) a target as a fraction of the bare node:http server.
import { isSuccessfulPage, type LoadRequest } from "./load.ts";
import { formPost, SESSION_COOKIE, type Seed } from "./seed.ts";
import type { ServerProcess } from "./server-process.ts";

export type Scenario = {
  name: string;
  request: LoadRequest;
  /** Minimum req/s as a fraction of the bare server's, if this scenario has a target. */
  target?: number;
};

export const BARE_SCENARIO = "bare node:http, home page size";
export const LIST_OF_10_SCENARIO = "GET a list of 10 items";

function page(server: ServerProcess, path: string, headers: Record<string, string> = {}): LoadRequest {
  return { url: `${server.url}${path}`, headers, success: isSuccessfulPage, serverCpuSeconds: server.cpuSeconds };
}

export function bareScenario(bare: ServerProcess): Scenario {
  return { name: BARE_SCENARIO, request: page(bare, "/") };
}

export function homeScenario(app: ServerProcess): Scenario {
  // A first visit: no cookies, so the server also makes a CSRF token and sets its cookie.
  return { name: "GET / (home)", request: page(app, "/"), target: 0.5 };
}

export function appScenarios(app: ServerProcess, seed: Seed): Scenario[] {
  // Every request adds a new item: autocannon replaces a literal (not URL-encoded)
  // `[<id>]` in the body with a new id each time.
  const addItem = formPost(seed.csrfToken, {});
  addItem.body += "&text=bench+item+[<id>]";
  return [
    homeScenario(app),
    { name: LIST_OF_10_SCENARIO, request: page(app, `/lists/${seed.listOf10}/`), target: 0.25 },
    {
      name: "GET an owner's list of 10, shared",
      request: page(app, `/lists/${seed.ownedListOf10}/`, { Cookie: `${SESSION_COOKIE}=${seed.ownerSessionKey}` }),
    },
    { name: "GET a list of 1,000 items", request: page(app, `/lists/${seed.listOf1000}/`), target: 0.033 },
    {
      name: "POST add item (302)",
      request: { ...page(app, `/lists/${seed.listForPosts}/`), ...addItem, success: (status) => status === 302 },
      target: 0.12,
    },
    {
      name: "GET My Lists, 100 lists",
      request: page(app, seed.myListsPath, { Cookie: `${SESSION_COOKIE}=${seed.sessionKey}` }),
    },
  ];
}
