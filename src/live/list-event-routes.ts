// GET /lists/:id/events: the server-sent event stream an open list page listens to
// (Turbo's <turbo-stream-source>). Each change to the list sends a Turbo "refresh"
// message, and the page fetches itself again and morphs into it. Access is checked
// when the stream opens and again whenever who may see the list changes: a viewer who
// lost access gets one last refresh (their page then says so) and the stream ends.
import { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { Kysely } from "kysely";
import type { Schema } from "../db/schema.ts";
import { canView } from "../lists/list-access.ts";
import type { ListChange } from "../lists/list-change.ts";
import { isListId } from "../lists/list-id.ts";
import { findList, type ListRecord } from "../lists/list-store.ts";
import type { AppEnv } from "../web/app-env.ts";
import type { ErrorPage } from "../web/error-pages.ts";
import type { ListChanges } from "./list-changes.ts";
import type { OpenStreams } from "./open-streams.ts";

/** The list page's own answer when it cannot be shown. */
const NO_SUCH_LIST = "There is no such list, or you don't have access to it.";
const TOO_MANY_STREAMS =
  "Too many live list pages are open from your address: close some, then reload this one to see changes live again.";
/** Under every proxy's idle timeout (nginx: 60 s): a comment line keeps the stream open. */
const HEARTBEAT_MS = 25_000;
/** Reconnection delay the browser is told, spread so that a restart's reconnections do not all come at once. */
const RETRY_MIN_MS = 1_000;
const RETRY_SPREAD_MS = 2_000;
/** Turbo's request ids are UUIDs; anything else is not echoed back. */
const REQUEST_ID = /^[0-9a-zA-Z-]{1,64}$/;

export type ListEventRoutesDeps = {
  db: Kysely<Schema>;
  errorPage: ErrorPage;
  changes: ListChanges;
  streams: OpenStreams;
};

function refreshMessage(requestId: string | undefined): string {
  const id = requestId && REQUEST_ID.test(requestId) ? ` request-id="${requestId}"` : "";
  return `<turbo-stream action="refresh"${id}></turbo-stream>`;
}

export function listEventRoutes({ db, errorPage, changes, streams }: ListEventRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // One lookup per change and process, however many of its streams ask.
  const listsAfterChange = new WeakMap<ListChange, Promise<ListRecord | undefined>>();
  const listAfter = (change: ListChange) => {
    let found = listsAfterChange.get(change);
    if (!found) {
      found = findList(db, change.listId);
      listsAfterChange.set(change, found);
    }
    return found;
  };

  routes.get("/lists/:id/events", async (c) => {
    const id = c.req.param("id");
    const user = c.get("user");
    const list = isListId(id) ? await findList(db, id) : undefined;
    if (!list || !canView(list, user)) return errorPage(c, 404, NO_SUCH_LIST);
    let end = () => {};
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    const release = streams.add(c.get("clientIp")(), () => end());
    if (!release) return errorPage(c, 429, TOO_MANY_STREAMS);
    // nginx passes the stream on as it comes (infra/nginx-site.conf.j2 says so too).
    c.header("X-Accel-Buffering", "no");
    // A reconnection (Last-Event-ID), or a page that changed between its render and now, catches up.
    const renderedAt = Number(c.req.query("since"));
    const missedChanges =
      c.req.header("Last-Event-ID") !== undefined || (renderedAt > 0 && changes.changedSince(id, renderedAt));
    return streamSSE(c, async (stream: SSEStreamingApi) => {
      // Writes to a stream whose client has gone are dropped (Hono's stream); onAbort ends it.
      const send = (data: string) => stream.writeSSE({ data, id: String(Date.now()) });
      stream.onAbort(() => end());
      // An id at once, so that a reconnection says it is one (Last-Event-ID).
      await stream.writeSSE({
        data: "",
        id: String(Date.now()),
        retry: RETRY_MIN_MS + Math.floor(Math.random() * RETRY_SPREAD_MS),
      });
      if (streams.ending) {
        release();
        return;
      }
      if (missedChanges) await send(refreshMessage(undefined));
      const unsubscribe = changes.subscribe(id, async (change) => {
        if (change.access) {
          // Unknown if the database fails: the stream goes on, and the page's refresh will say.
          const visible = await listAfter(change).then(
            (now) => now !== undefined && canView(now, user),
            () => true,
          );
          if (!visible) {
            await send(refreshMessage(undefined));
            end();
            return;
          }
        }
        await send(refreshMessage(change.requestId));
      });
      const stopResync = changes.onResync(() => void send(refreshMessage(undefined)));
      const heartbeat = setInterval(() => void stream.write(": heartbeat\n\n"), HEARTBEAT_MS);
      try {
        await ended;
      } finally {
        clearInterval(heartbeat);
        stopResync();
        unsubscribe();
        release();
      }
    });
  });
  return routes;
}
