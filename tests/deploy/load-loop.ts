// Load for a redeploy: a few concurrent visitors, each in a loop, read the home
// page, create a list (a form POST with its CSRF token), then read the list back.
// Every request that is not 2xx/3xx, or fails to connect, counts as failed; every
// list the server acknowledged (302 to its page) is read again at the end and must
// still hold its item. Stops on SIGTERM/SIGINT, or after --max-seconds; prints
// "running" once each visitor has done a whole round, then one JSON summary line.
//   node tests/deploy/load-loop.ts http://127.0.0.1:8080 [--visitors 4] [--pause-ms 20] [--max-seconds 300]
//     [--resolve NAME:ADDRESS] [--unavailable-ok]
// An https:// URL is fine: the server's CA comes from NODE_EXTRA_CA_CERTS, and
// --resolve sends NAME's connections to ADDRESS (like curl's) when no DNS knows it.
// --unavailable-ok: a 503 with Retry-After (the app's "database unavailable, try again")
// is counted as "unavailable" rather than failed; any other error still fails. The
// summary gives the longest time between two acknowledged writes.
// Each visitor pauses between rounds, so the load leaves the machine's cores to the
// deploy itself (here the same machine).
// Each request opens its own connection: a graceful nginx reload closes idle
// keep-alive connections, and a request racing that close is one a browser
// retries, not one the deploy dropped.

import type { LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { setTimeout as pause } from "node:timers/promises";
import { parseArgs } from "node:util";

type Reply = {
  status: number;
  location: string | undefined;
  retryAfter: string | undefined;
  cookies: string[];
  body: string;
};
type Write = { url: string; text: string };

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    visitors: { type: "string", default: "4" },
    "pause-ms": { type: "string", default: "20" },
    "max-seconds": { type: "string", default: "300" },
    resolve: { type: "string" },
    "unavailable-ok": { type: "boolean", default: false },
  },
});
const baseUrl = positionals[0];
if (!baseUrl) {
  process.stderr.write("usage: load-loop.ts BASE_URL [--visitors N] [--pause-ms MS] [--max-seconds S]\n");
  process.exit(2);
}
const visitors = Number(values.visitors);
const pauseMs = Number(values["pause-ms"]);
const deadline = Date.now() + Number(values["max-seconds"]) * 1000;
const REQUEST_TIMEOUT_MS = 15_000;
const unavailableOk = values["unavailable-ok"];
const request = new URL(baseUrl).protocol === "https:" ? httpsRequest : httpRequest;
const [resolvedName, resolvedAddress = ""] = values.resolve?.split(":") ?? [];
const lookup: LookupFunction | undefined = values.resolve
  ? (hostname, options, callback) => {
      if (hostname !== resolvedName) {
        callback(new Error(`--resolve names ${resolvedName}, not ${hostname}`), "");
      } else if (options.all) {
        const all = callback as unknown as (error: null, addresses: LookupAddress[]) => void;
        all(null, [{ address: resolvedAddress, family: 4 }]);
      } else {
        callback(null, resolvedAddress, 4);
      }
    }
  : undefined;

let stopping = false;
process.once("SIGTERM", () => {
  stopping = true;
});
process.once("SIGINT", () => {
  stopping = true;
});

let requests = 0;
let unavailable = 0;
let lastWriteAt = Date.now();
let longestWriteGapMs = 0;
const failures: string[] = [];
const writes: Write[] = [];

function send(method: string, path: string, headers: Record<string, string> = {}, body = ""): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      { method, agent: false, lookup, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            retryAfter: res.headers["retry-after"],
            cookies: res.headers["set-cookie"] ?? [],
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** One request, counted; undefined (and a failure noted) unless it got a 2xx/3xx. */
async function counted(what: string, ...args: Parameters<typeof send>): Promise<Reply | undefined> {
  requests += 1;
  try {
    const reply = await send(...args);
    if (reply.status >= 200 && reply.status < 400) return reply;
    if (unavailableOk && reply.status === 503 && reply.retryAfter) {
      unavailable += 1;
      return undefined;
    }
    failures.push(`${what}: HTTP ${reply.status}`);
  } catch (error) {
    failures.push(`${what}: ${(error as Error).message}`);
  }
  return undefined;
}

function cookieValue(cookies: string[], name: string): string | undefined {
  for (const line of cookies) {
    const [pair = ""] = line.split(";");
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}

async function visitor(id: number, firstRound: () => void): Promise<void> {
  let csrfToken: string | undefined;
  let rounds = 0;
  for (let round = 0; !stopping && Date.now() < deadline; round += 1) {
    if (round > 0) await pause(pauseMs);
    const home = await counted("GET /", "GET", "/", csrfToken ? { Cookie: `csrftoken=${csrfToken}` } : {});
    csrfToken = (home && cookieValue(home.cookies, "csrftoken")) ?? csrfToken;
    if (!csrfToken) continue;
    const text = `load ${id}.${round} ${Date.now()}`;
    const form = new URLSearchParams({ csrf_token: csrfToken, text }).toString();
    const created = await counted(
      "POST /lists/new",
      "POST",
      "/lists/new",
      {
        Cookie: `csrftoken=${csrfToken}`,
        Origin: new URL(baseUrl as string).origin,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      form,
    );
    if (!created) continue;
    if (created.status !== 302 || !created.location) {
      failures.push(`POST /lists/new: ${created.status} without a redirect to the new list`);
      continue;
    }
    writes.push({ url: created.location, text });
    const now = Date.now();
    longestWriteGapMs = Math.max(longestWriteGapMs, now - lastWriteAt);
    lastWriteAt = now;
    const list = await counted(`GET ${created.location}`, "GET", created.location);
    if (list && !list.body.includes(text)) failures.push(`GET ${created.location}: the new item is not there`);
    rounds += 1;
    if (rounds === 1) firstRound();
  }
}

let started = 0;
await Promise.all(
  Array.from({ length: visitors }, (_, id) =>
    visitor(id, () => {
      started += 1;
      if (started === visitors) process.stdout.write("running\n");
    }),
  ),
);

// Escaped as the page renders it: the item texts hold no characters HTML escapes.
// As many readers as there were visitors: thousands of writes read back one by one (each
// a new connection, a TLS handshake over HTTPS) would take longer than the load did.
const missing: string[] = [];
const unread = [...writes];
async function reader(): Promise<void> {
  for (let write = unread.pop(); write; write = unread.pop()) {
    const { url, text } = write;
    try {
      const reply = await send("GET", url);
      if (reply.status !== 200 || !reply.body.includes(text)) missing.push(`${url} (${text}): HTTP ${reply.status}`);
    } catch (error) {
      missing.push(`${url} (${text}): ${(error as Error).message}`);
    }
  }
}
await Promise.all(Array.from({ length: visitors }, reader));
process.stdout.write(
  `${JSON.stringify({
    requests,
    failed: failures.length,
    unavailable,
    longestWriteGapMs,
    acknowledgedWrites: writes.length,
    missingWrites: missing.length,
    examples: [...failures, ...missing].slice(0, 5),
  })}\n`,
);
process.exit(failures.length === 0 && missing.length === 0 && requests > 0 ? 0 : 1);
