// Live list streams (src/live/): opens STREAMS event streams to one server process on
// one list, as that many open pages would, and measures what they cost the server in
// memory (RSS) and how long one change takes to reach them all. Part of `npm run bench`;
// alone: `node bench/streams.ts URL PID` against a running server (production mode or not).
// The server caps streams per client address (STREAMS_PER_ADDRESS), so the streams come
// from as many loopback addresses as needed (127.0.1.x: all of 127/8 is local on Linux).

import { readFileSync } from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { STREAMS_PER_ADDRESS } from "../src/live/open-streams.ts";
import { CSRF_COOKIE } from "../src/web/csrf.ts";
import { formPost } from "./seed.ts";

export const STREAMS = 1_000;
export const STREAMS_RSS_TARGET_BYTES = 50 * 1024 * 1024;
export const STREAMS_FAN_OUT_TARGET_MS = 3_000;

export type StreamsResult = { streams: number; rssIncreaseBytes: number; fanOutMs: number };

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
  return Number(line?.[1] ?? 0) * 1024;
}

/** A new ownerless list, made through the server as a browser would; returns its id and a way to add items. */
async function newList(baseUrl: string): Promise<{ id: string; addItem: (text: string) => Promise<void> }> {
  const home = await fetch(`${baseUrl}/`);
  await home.arrayBuffer();
  const csrfToken =
    home.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${CSRF_COOKIE}=`))
      ?.split(/[=;]/)[1] ?? "";
  const post = async (path: string, text: string) => {
    const response = await fetch(`${baseUrl}${path}`, { ...formPost(csrfToken, { text }), redirect: "manual" });
    await response.arrayBuffer();
    if (response.status !== 302) throw new Error(`POST ${path} answered ${response.status}`);
    return response.headers.get("Location") ?? "";
  };
  const id = (await post("/lists/new", "first item")).split("/")[2] ?? "";
  return { id, addItem: async (text) => void (await post(`/lists/${id}/`, text)) };
}

/** Opens one stream; resolves once the server has answered it, and calls `onRefresh` at each refresh message. */
function openStream(url: URL, localAddress: string, onRefresh: () => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, localAddress }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`GET ${url.pathname} from ${localAddress} answered ${response.statusCode}`));
        return;
      }
      response.setEncoding("utf8");
      let first = true;
      response.on("data", (chunk: string) => {
        if (first) {
          first = false;
          resolve(response);
        }
        if (chunk.includes('action="refresh"')) onRefresh();
      });
    });
    request.on("error", reject);
  });
}

/** Opens `streams` streams to the list, changes it, and waits until every stream has said refresh. */
async function streamsAndOneChange(
  baseUrl: string,
  streams: number,
  whenOpen: () => void,
): Promise<{ fanOutMs: number }> {
  const list = await newList(baseUrl);
  const url = new URL(`/lists/${list.id}/events`, baseUrl);
  let refreshed = 0;
  let allRefreshed = () => {};
  const everyStreamRefreshed = new Promise<void>((resolve) => {
    allRefreshed = resolve;
  });
  const onRefresh = () => {
    if (++refreshed === streams) allRefreshed();
  };
  const responses: IncomingMessage[] = [];
  for (let i = 0; i < streams; i++) {
    const address = Math.floor(i / STREAMS_PER_ADDRESS);
    responses.push(await openStream(url, `127.0.1.${address + 1}`, onRefresh));
  }
  whenOpen();
  const changed = performance.now();
  await list.addItem("a change for every open page");
  await everyStreamRefreshed;
  const fanOutMs = performance.now() - changed;
  for (const response of responses) response.destroy();
  return { fanOutMs };
}

/** `rss`: the server's resident set size now, in bytes. */
export async function measureStreams(baseUrl: string, rss: () => number, streams = STREAMS): Promise<StreamsResult> {
  // A first round of a few streams: the code they run compiled, its one-time memory taken.
  await streamsAndOneChange(baseUrl, STREAMS_PER_ADDRESS, () => {});
  const rssBefore = rss();
  let rssAfter = rssBefore;
  const { fanOutMs } = await streamsAndOneChange(baseUrl, streams, () => {
    rssAfter = rss();
  });
  return { streams, rssIncreaseBytes: rssAfter - rssBefore, fanOutMs };
}

if (import.meta.main) {
  const [url, pid] = process.argv.slice(2);
  if (!url || !pid) throw new Error("usage: node bench/streams.ts URL PID");
  const result = await measureStreams(url, () => rssOf(Number(pid)));
  process.stdout.write(
    `${result.streams} streams: RSS +${(result.rssIncreaseBytes / 1024 / 1024).toFixed(1)} MB, ` +
      `one change reached them all in ${result.fanOutMs.toFixed(0)} ms\n`,
  );
}
