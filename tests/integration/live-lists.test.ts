// Live list pages (src/live/): a list's event stream, opened by each page showing the
// list, says "refresh" whenever anyone changes the list, refuses who may not see the
// list, and ends when its viewer loses access. In process; across processes in
// live-lists-processes.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { STREAMS_PER_ADDRESS } from "../../src/live/open-streams.ts";
import { loggedInClient } from "../support/accounts.ts";
import { EventStreamReader, REFRESH } from "../support/event-stream.ts";
import { listIdFrom } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

const OWNER = "owner@example.com";
const SHAREE = "sharee@example.com";
const OTHER = "other@example.com";

let testApp: TestApp;
let owner: TestClient;
let sharee: TestClient;
let other: TestClient;
const openReaders: EventStreamReader[] = [];

beforeAll(async () => {
  testApp = await createTestApp();
  owner = await loggedInClient(testApp, OWNER);
  sharee = await loggedInClient(testApp, SHAREE);
  other = await loggedInClient(testApp, OTHER);
});
// Each test's streams closed after it: they count against the one address of the in-process client.
afterEach(async () => {
  await Promise.all(openReaders.splice(0).map((reader) => reader.close()));
});
afterAll(() => testApp.close());

async function newList(client: TestClient, text = "first item"): Promise<string> {
  const response = await client.post("/lists/new", { text });
  expect(response.status).toBe(302);
  return listIdFrom(response.headers.get("Location"));
}

async function sharedList(): Promise<string> {
  const id = await newList(owner);
  expect((await owner.post(`/lists/${id}/share`, { sharee: SHAREE })).status).toBe(302);
  return id;
}

async function openStream(client: TestClient, listId: string, headers: Record<string, string> = {}) {
  const response = await client.get(`/lists/${listId}/events`, headers);
  expect(response.status).toBe(200);
  const reader = new EventStreamReader(response);
  openReaders.push(reader);
  return { response, reader };
}

describe("a list's event stream", () => {
  test("is an unbuffered event stream, and the list page listens to it", async () => {
    const id = await newList(owner);
    const { response } = await openStream(owner, id);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("X-Accel-Buffering")).toBe("no");
    const page = await (await owner.get(`/lists/${id}/`)).text();
    expect(page).toMatch(new RegExp(`<turbo-stream-source src="/lists/${id}/events\\?since=\\d+">`));
  });

  test("says refresh to every viewer when anyone adds, ticks, edits or deletes an item, or renames or shares the list", async () => {
    const id = await sharedList();
    const { reader: ownerStream } = await openStream(owner, id);
    const { reader: shareeStream } = await openStream(sharee, id);
    const changes: [TestClient, string, Record<string, string>][] = [
      [sharee, `/lists/${id}/`, { text: "second item" }],
      [owner, `/lists/${id}/rename`, { name: "Groceries" }],
      [owner, `/lists/${id}/share`, { sharee: OTHER }],
    ];
    for (const [client, path, fields] of changes) {
      expect((await client.post(path, fields)).status).toBe(302);
      expect((await ownerStream.next())?.data, path).toMatch(REFRESH);
      expect((await shareeStream.next())?.data, path).toMatch(REFRESH);
    }
    const page = await (await owner.get(`/lists/${id}/`)).text();
    const itemPath = `/lists/${id}/${page.match(/formaction="(items\/\d+)\/done"/)?.[1]}`;
    for (const [path, fields] of [
      [`${itemPath}/done`, { done: "1" }],
      [`${itemPath}/edit`, { text: "first item, edited" }],
      [`${itemPath}/delete`, {}],
    ] as const) {
      expect((await sharee.post(path, fields)).status).toBe(302);
      expect((await ownerStream.next())?.data, path).toMatch(REFRESH);
      expect((await shareeStream.next())?.data, path).toMatch(REFRESH);
    }
  });

  test("names the request that made the change, so that its own page skips the refresh", async () => {
    const id = await newList(owner);
    const { reader } = await openStream(owner, id);
    const requestId = "3f1c2b9e-8a4d-4e7b-9c1a-0d2e3f4a5b6c";
    await owner.post(`/lists/${id}/`, { text: "from this page" }, { "X-Turbo-Request-Id": requestId });
    expect((await reader.next())?.data).toBe(
      `<turbo-stream action="refresh" request-id="${requestId}"></turbo-stream>`,
    );
  });

  test("is refused to who may not see the list, and for a list that does not exist", async () => {
    const id = await sharedList();
    for (const client of [other, testApp.client()]) {
      const response = await client.get(`/lists/${id}/events`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("There is no such list, or you don&#39;t have access to it.");
    }
    expect((await owner.get("/lists/no-such-list/events")).status).toBe(404);
  });

  test("ends after a last refresh when its sharee leaves the list, while the owner's goes on", async () => {
    const id = await sharedList();
    const { reader: shareeStream } = await openStream(sharee, id);
    const { reader: ownerStream } = await openStream(owner, id);
    expect((await sharee.post(`/lists/${id}/leave`)).status).toBe(302);
    expect((await shareeStream.ended()).map((event) => event.data)).toEqual([expect.stringMatching(REFRESH)]);
    expect((await ownerStream.next())?.data).toMatch(REFRESH);
    expect((await sharee.get(`/lists/${id}/events`)).status).toBe(404);
  });

  test("ends for everyone when the list is deleted", async () => {
    const id = await sharedList();
    const streams = [(await openStream(owner, id)).reader, (await openStream(sharee, id)).reader];
    expect((await owner.post(`/lists/${id}/delete`)).status).toBe(302);
    for (const stream of streams) {
      expect((await stream.ended()).map((event) => event.data)).toEqual([expect.stringMatching(REFRESH)]);
    }
  });

  test("tells a page that reconnects to refresh at once: it may have missed changes", async () => {
    const id = await newList(owner);
    const { reader } = await openStream(owner, id, { "Last-Event-ID": "1700000000000" });
    expect((await reader.next())?.data).toMatch(REFRESH);
  });

  test("tells a page to refresh at once if the list changed between its render and its stream's opening", async () => {
    const id = await newList(owner);
    const page = await (await owner.get(`/lists/${id}/`)).text();
    const streamPath = page.match(/<turbo-stream-source src="([^"]+)"/)?.[1] ?? "";
    await owner.post(`/lists/${id}/`, { text: "added meanwhile" });
    const response = await owner.get(streamPath);
    const reader = new EventStreamReader(response);
    openReaders.push(reader);
    expect((await reader.next())?.data).toMatch(REFRESH);
  });

  test(`is refused, with a 429 saying why, beyond ${STREAMS_PER_ADDRESS} open from one address`, async () => {
    const id = await newList(owner);
    const streams = [];
    for (let i = 0; i < STREAMS_PER_ADDRESS; i++) streams.push((await openStream(owner, id)).reader);
    const refused = await owner.get(`/lists/${id}/events`);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("Too many live list pages are open from your address");
    await streams.pop()?.close();
    await openStream(owner, id);
  });
});

describe("a form answered with an error", () => {
  test("keeps what the user typed in the share and rename fields", async () => {
    const id = await newList(owner);
    const share = await owner.post(`/lists/${id}/share`, { sharee: "not an address" });
    expect(share.status).toBe(400);
    expect(await share.text()).toMatch(/id="id_sharee"[^>]*value="not an address"/);
    const rename = await owner.post(`/lists/${id}/rename`, { name: "   " });
    expect(rename.status).toBe(400);
    expect(await rename.text()).toMatch(/id="id_list_name"[^>]*value=" {3}"/);
  });
});
