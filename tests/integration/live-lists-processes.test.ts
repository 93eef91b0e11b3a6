// Live list pages across processes and through a shutdown: a change made in one worker
// of `serve --workers 2` reaches the streams the other holds; on PostgreSQL, a change
// made by one server process reaches another's streams (LISTEN/NOTIFY); on SIGTERM the
// open streams end (their pages reconnect to the next server) and the server exits.
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { LISTEN_APPLICATION_NAME } from "../../src/live/postgres-change-relay.ts";
import { CSRF_COOKIE, CSRF_FIELD } from "../../src/web/csrf.ts";
import { EventStreamReader, REFRESH } from "../support/event-stream.ts";
import { listIdFrom } from "../support/html.ts";
import { type ServerProcess, SUPERLISTS_CLI, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

const started: { servers: ServerProcess[]; databases: TestDatabase[]; readers: EventStreamReader[] } = {
  servers: [],
  databases: [],
  readers: [],
};
afterEach(async () => {
  await Promise.all(started.readers.splice(0).map((reader) => reader.close()));
  await Promise.all(started.servers.splice(0).map((server) => server.stop()));
  await Promise.all(started.databases.splice(0).map((database) => database.drop()));
});

async function servers(
  count: number,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess[]> {
  const database = await createTestDatabase();
  started.databases.push(database);
  const env = {
    SUPERLISTS_ENV: "test",
    DATABASE_URL: database.url,
    SECRET_KEY: "live-lists-shared-secret-0123456789abcdef",
    ...extraEnv,
  };
  // One after the other: each applies the migrations it finds pending.
  for (let i = 0; i < count; i++)
    started.servers.push(await startServerProcess(env, [...SUPERLISTS_CLI, "serve", ...args]));
  return started.servers;
}

/** An anonymous visitor of `server`: posts forms with its CSRF cookie and token. */
async function visitor(server: ServerProcess): Promise<(path: string, text: string) => Promise<Response>> {
  const home = await fetch(server.url);
  const csrf =
    home.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${CSRF_COOKIE}=`))
      ?.split(";")[0] ?? "";
  const token = csrf.slice(CSRF_COOKIE.length + 1);
  return async (path, text) => {
    const response = await fetch(new URL(path, server.url), {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ [CSRF_FIELD]: token, text }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: csrf },
    });
    await response.body?.cancel();
    expect(response.status, `POST ${path}`).toBe(302);
    return response;
  };
}

/** A new ownerless list: anyone with its URL may see and change it. */
async function newList(server: ServerProcess): Promise<string> {
  const post = await visitor(server);
  return listIdFrom((await post("/lists/new", "first item")).headers.get("Location"));
}

async function openStream(server: ServerProcess, listId: string): Promise<EventStreamReader> {
  const response = await fetch(new URL(`/lists/${listId}/events`, server.url));
  expect(response.status).toBe(200);
  const reader = new EventStreamReader(response);
  started.readers.push(reader);
  return reader;
}

test("a change made in one worker of `serve --workers 2` reaches the streams the other worker holds", async () => {
  const [server] = (await servers(1, ["--workers", "2"])) as [ServerProcess];
  await expect.poll(() => server.logLines().filter((line) => line.msg === "listening").length).toBe(2);
  const id = await newList(server);
  // Each stream holds a connection of its own, and the primary deals connections out to
  // the workers in turn (node:cluster's round robin): both workers hold some.
  const streams = [];
  for (let i = 0; i < 6; i++) streams.push(await openStream(server, id));
  await (await visitor(server))(`/lists/${id}/`, "second item");
  for (const stream of streams) expect((await stream.next())?.data).toMatch(REFRESH);
});

describe.runIf(onPostgres)("two server processes on one PostgreSQL database", () => {
  test("a change made through either reaches the streams the other holds", async () => {
    const [a, b] = (await servers(2)) as [ServerProcess, ServerProcess];
    const id = await newList(a);
    const onA = await openStream(a, id);
    const onB = await openStream(b, id);
    await (await visitor(a))(`/lists/${id}/`, "added through a");
    expect((await onB.next())?.data).toMatch(REFRESH);
    expect((await onA.next())?.data).toMatch(REFRESH);
    await (await visitor(b))(`/lists/${id}/`, "added through b");
    expect((await onA.next())?.data).toMatch(REFRESH);
    expect((await onB.next())?.data).toMatch(REFRESH);
  });

  test("a process whose LISTEN connection drops reconnects, has its pages refresh, and hears changes again", async () => {
    const [a, b] = (await servers(2)) as [ServerProcess, ServerProcess];
    const id = await newList(a);
    const onA = await openStream(a, id);
    const database = started.databases[0] as TestDatabase;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // As a failover or an operator would: both servers' LISTEN connections end.
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
        [LISTEN_APPLICATION_NAME],
      );
      expect(rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    // Reconnected: changes made meanwhile may have been missed, so the page refreshes.
    expect((await onA.next())?.data).toMatch(REFRESH);
    await b.waitForLog((line) => line.msg === "live lists: listening to PostgreSQL again");
    await (await visitor(b))(`/lists/${id}/`, "added through b after the drop");
    expect((await onA.next())?.data).toMatch(REFRESH);
  });
});

test("on SIGTERM, open streams end and the server exits cleanly, without waiting for them", async () => {
  const [server] = (await servers(1)) as [ServerProcess];
  const stream = await openStream(server, await newList(server));
  const ended = stream.ended();
  const exit = server.stop();
  expect(await ended).toEqual([]);
  expect(await exit).toBe(0);
  expect(server.logLines().some((line) => line.msg === "in-flight requests did not finish in time; exiting")).toBe(
    false,
  );
});

test("the metrics count the open streams", async () => {
  const [server] = (await servers(1, [], { METRICS_PORT: "0" })) as [ServerProcess];
  const metricsUrl = String((await server.waitForLog((line) => line.msg === "metrics listening")).url);
  const openStreams = async () =>
    (await (await fetch(metricsUrl)).text()).match(/^superlists_open_event_streams (\d+)$/m)?.[1];
  expect(await openStreams()).toBe("0");
  const id = await newList(server);
  const streams = [await openStream(server, id), await openStream(server, id)];
  expect(await openStreams()).toBe("2");
  await streams[0]?.close();
  await expect.poll(openStreams).toBe("1");
});
