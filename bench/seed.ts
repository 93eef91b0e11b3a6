// The data the scenarios read, made through the running server as a browser
// would (forms with the CSRF token), plus a session from `superlists create-session`.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CSRF_COOKIE, CSRF_FIELD } from "../src/web/csrf.ts";
import { CLI } from "./server-process.ts";

const run = promisify(execFile);
const SEED_CONCURRENCY = 16;
const SHAREES = 3;
/** The bench's servers keep the default SESSION_COOKIE_NAME. */
export const SESSION_COOKIE = "sessionid";

export type Seed = {
  csrfToken: string;
  homePage: string;
  /** Fingerprinted URL path of the Bootstrap CSS, as the home page links it. */
  bootstrapCssPath: string;
  listOf10: string;
  /** A list of 10 items owned by the user of `ownerSessionKey`, shared with SHAREES people. */
  ownedListOf10: string;
  ownerSessionKey: string;
  listOf1000: string;
  /** An ownerless list the add-item scenario posts to. */
  listForPosts: string;
  sessionKey: string;
  /** The My Lists page of the user who owns `ownedLists` lists. */
  myListsPath: string;
};

/** The names of a server's CSRF cookie and form field: ours unless given (the Django peer's differ). */
export type CsrfNames = { cookie: string; field: string };
const OUR_CSRF: CsrfNames = { cookie: CSRF_COOKIE, field: CSRF_FIELD };

/** A first visit's home page, and the CSRF token its cookie sets. */
export async function csrfTokenAndHome(
  baseUrl: string,
  csrf: CsrfNames = OUR_CSRF,
): Promise<{ csrfToken: string; homePage: string }> {
  const response = await fetch(`${baseUrl}/`);
  const homePage = await response.text();
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${csrf.cookie}=`));
  const csrfToken = cookie?.slice(csrf.cookie.length + 1).split(";")[0];
  if (!response.ok || !csrfToken) throw new Error(`GET / gave no CSRF cookie (status ${response.status})`);
  return { csrfToken, homePage };
}

/** Form fields and cookies for a POST that passes the CSRF check. */
export function formPost(
  csrfToken: string,
  fields: Record<string, string>,
  cookies: Record<string, string> = {},
  csrf: CsrfNames = OUR_CSRF,
) {
  return {
    method: "POST" as const,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: Object.entries({ [csrf.cookie]: csrfToken, ...cookies })
        .map(([name, value]) => `${name}=${value}`)
        .join("; "),
    },
    body: new URLSearchParams({ [csrf.field]: csrfToken, ...fields }).toString(),
  };
}

async function post(url: string, request: ReturnType<typeof formPost>): Promise<string> {
  const response = await fetch(url, { ...request, redirect: "manual" });
  await response.arrayBuffer();
  const location = response.headers.get("Location");
  if (response.status !== 302 || location === null) throw new Error(`POST ${url} answered ${response.status}`);
  return location;
}

async function newList(baseUrl: string, csrfToken: string, text: string, cookies: Record<string, string> = {}) {
  const location = await post(`${baseUrl}/lists/new`, formPost(csrfToken, { text }, cookies));
  const id = location.match(/^\/lists\/([0-9a-f]{32})\/$/)?.[1];
  if (!id) throw new Error(`unexpected redirect after creating a list: ${location}`);
  return id;
}

/** Runs `count` tasks, a few at a time. */
async function inParallel(count: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(SEED_CONCURRENCY, count) }, worker));
}

async function listWithItems(
  baseUrl: string,
  csrfToken: string,
  size: number,
  cookies: Record<string, string> = {},
): Promise<string> {
  const id = await newList(baseUrl, csrfToken, "item 1", cookies);
  await inParallel(size - 1, (index) =>
    post(`${baseUrl}/lists/${id}/`, formPost(csrfToken, { text: `item ${index + 2}` }, cookies)),
  );
  return id;
}

async function sharedListOf10(baseUrl: string, csrfToken: string, sessionKey: string): Promise<string> {
  const cookies = { [SESSION_COOKIE]: sessionKey };
  const id = await listWithItems(baseUrl, csrfToken, 10, cookies);
  for (let i = 1; i <= SHAREES; i++) {
    await post(`${baseUrl}/lists/${id}/share`, formPost(csrfToken, { sharee: `friend-${i}@example.com` }, cookies));
  }
  return id;
}

export async function createSessionKey(env: Record<string, string>, email: string): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, "create-session", email], { env: { ...process.env, ...env } });
  return stdout.trim();
}

export async function seed(baseUrl: string, env: Record<string, string>, ownedLists: number): Promise<Seed> {
  const { csrfToken, homePage } = await csrfTokenAndHome(baseUrl);
  const bootstrapCssPath = homePage.match(/href="(\/static\/bootstrap\.min\.[0-9a-f]+\.css)"/)?.[1];
  if (!bootstrapCssPath) throw new Error("the home page links no fingerprinted Bootstrap CSS");

  const email = "bench@example.com";
  const sessionKey = await createSessionKey(env, email);
  // Another user, so that the My Lists scenario's user keeps exactly `ownedLists` lists.
  const ownerSessionKey = await createSessionKey(env, "owner@example.com");
  await inParallel(ownedLists, (index) =>
    newList(baseUrl, csrfToken, `list ${index + 1}`, { [SESSION_COOKIE]: sessionKey }),
  );

  return {
    csrfToken,
    homePage,
    bootstrapCssPath,
    listOf10: await listWithItems(baseUrl, csrfToken, 10),
    ownedListOf10: await sharedListOf10(baseUrl, csrfToken, ownerSessionKey),
    ownerSessionKey,
    listOf1000: await listWithItems(baseUrl, csrfToken, 1000),
    listForPosts: await newList(baseUrl, csrfToken, "the list the add-item scenario grows"),
    sessionKey,
    myListsPath: `/lists/users/${encodeURIComponent(email)}/`,
  };
}
