// A real server attacked over raw sockets with what fetch refuses to send:
// malformed request lines and headers, absolute-form targets, broken chunked
// bodies, oversized uploads, traversal paths. It answers each with a 4xx (or
// a page), never a 500, logs no error for a client's fault, and stays up.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_FORM_BYTES } from "../../src/app.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { runCli } from "../support/run-cli.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { snapshotRows } from "./support/db-snapshot.ts";
import { HttpClient, rawRequest, rawStatus } from "./support/http-client.ts";
import { checkProperty, PROPERTY_TIMEOUT_MS } from "./support/properties.ts";

let outbox: string;
beforeAll(() => {
  outbox = mkdtempSync(join(tmpdir(), "superlists-hardening-outbox-"));
});
afterAll(() => rmSync(outbox, { recursive: true, force: true }));

const running = serverOnTestDatabase("all", () => ({
  LOG_LEVEL: "info",
  EMAIL_BACKEND: "file",
  EMAIL_FILE_DIR: outbox,
  // Every request comes from 127.0.0.1: keep the rate limits out of the way of the cases.
  LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: "1000000",
  LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR: "1000000",
  LOGIN_EMAILS_PER_IP_PER_HOUR: "1000000",
  LOGIN_EMAIL_COOLDOWN_SECONDS: "0",
}));
let server: ServerProcess;
let database: Database;
let client: HttpClient;
let listPath: string;

beforeAll(async () => {
  server = running().server;
  database = openDatabase(parseDatabaseUrl(running().database.url), { poolSize: 2 });
  client = new HttpClient(server.url);
  const created = await client.post("/lists/new", { text: "Already stored" });
  listPath = created.headers.get("Location") ?? "";
});
afterAll(() => database?.db.destroy());

const hostHeader = () => new URL(server.url).host;

/** The CSRF token that a first visit's GET / sets, as a browser on the site would have it. */
async function firstVisitCsrfToken(baseUrl = server.url, host = hostHeader()): Promise<string> {
  const page = await rawRequest(baseUrl, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  expect(rawStatus(page)).toBe(200);
  return page.match(/set-cookie: csrftoken=([\w-]+)/i)?.[1] ?? "";
}

/** A form POST to this server with exactly this target and Host header, as raw bytes (latin1: the header may hold any byte). */
function rawFormPost(baseUrl: string, target: string, host: string, csrf: string, fields: string): Promise<string> {
  const body = `csrf_token=${csrf}&${fields}`;
  const lines = [
    `POST ${target} HTTP/1.1`,
    `Host: ${host}`,
    `Cookie: csrftoken=${csrf}`,
    "Content-Type: application/x-www-form-urlencoded",
    `Content-Length: ${body.length}`,
    "Connection: close",
    "",
    body,
  ];
  return rawRequest(baseUrl, Buffer.from(lines.join("\r\n"), "latin1"));
}

/** Error-level lines: what an operator is paged for. A client's bad request must never produce one. */
const errorLines = () => server.logLines().filter((line) => line.level >= 50);

describe("malformed requests", () => {
  const method = fc.constantFrom("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "get", "G ET", "FOO");
  const targetPart = fc.oneof(
    fc.constantFrom(
      "/",
      "/lists/new",
      "/lists/users/x%40y.z/",
      "/accounts/login?token=%ZZ",
      "/static/..%2f..%2fpackage.json",
      "/static/../../package.json",
      "/static/%2e%2e/%2e%2e/etc/passwd",
      "//evil.example/",
      "http://evil.example/",
      "https://evil.example/lists/new",
      "*",
      "",
      "/%",
      "/%00",
      "/\\..\\",
      "/\u00e4",
      "/\u007f",
      "/a b",
      "/?q=\u00ff\u00fe",
    ),
    fc.webPath(),
    fc.string({ unit: "binary-ascii", maxLength: 20 }).map((junk) => `/${junk}`),
  );
  const version = fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1.1 junk", "");
  const header = fc.oneof(
    fc.constantFrom(
      "Host: <script>",
      "Host: evil.example/path",
      "Host: user@evil.example",
      "Host: a:99999",
      "Host: ",
      "Host: \u00e4\u00f6",
      "Content-Length: -1",
      "Content-Length: abc",
      "Content-Length: 0",
      "Content-Length: 99999999999999999999",
      "Transfer-Encoding: chunked",
      "Transfer-Encoding: gzip, chunked",
      "Content-Type: application/x-www-form-urlencoded",
      "Content-Type: multipart/form-data; boundary=--x",
      "Content-Type: text/plain",
      "Cookie: sessionid=%ZZ; csrftoken=%E0%A4%A; flash=x.y",
      "Cookie: =; ;;; a",
      "X-Request-Id: <script>alert(1)</script>",
      "X-Forwarded-For: ::::, 999.999.999.999",
      "X-Forwarded-Proto: javascript",
      "Origin: null",
      "Sec-Fetch-Site: cross-site",
      "Accept-Encoding: br;q=junk",
      "If-None-Match: *",
      "Range: bytes=99999999-",
      "Bad Header: x",
      "X-Ctl: \u0001",
      "Expect: nonsense",
    ),
    fc
      .tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.string({ unit: "grapheme-ascii", maxLength: 40 }))
      .map(([name, value]) => `${name}: ${value}`),
  );
  const body = fc.oneof(
    fc.constant(""),
    fc.string({ unit: "binary-ascii", maxLength: 200 }),
    fc.constantFrom("text=hello&csrf_token=x", "zz\r\nabc\r\n0\r\n\r\n", "5\r\ntext=\r\n0\r\n\r\n", "--x--\r\n"),
  );

  test("any request line, headers and body: a status below 500 and a closed connection, no error logged", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const before = await snapshotRows(database.db);
    let answered = 0;
    await checkProperty(
      "raw HTTP requests",
      fc.asyncProperty(
        method,
        targetPart,
        version,
        fc.array(header, { maxLength: 5 }),
        fc.boolean(),
        body,
        async (verb, target, httpVersion, headers, withHost, payload) => {
          const lines = [
            `${verb} ${target} ${httpVersion}`.trim(),
            ...(withHost ? [`Host: ${hostHeader()}`] : []),
            ...headers,
            // Without it a well-formed request would keep the connection open for the next one.
            "Connection: close",
          ];
          // A chunked body always gets its last chunk: a request still being sent is rightly waited for.
          const chunked = headers.some((line) => /^transfer-encoding:.*chunked/i.test(line));
          const request = Buffer.from(
            `${lines.join("\r\n")}\r\n\r\n${payload}${chunked ? "\r\n0\r\n\r\n" : ""}`,
            "latin1",
          );
          const response = await rawRequest(server.url, request);
          const status = rawStatus(response);
          // A CONNECT-like or unparseable request may be dropped by Node without an answer; otherwise a status.
          if (status !== undefined) {
            answered++;
            expect(status, response.slice(0, 200)).toBeLessThan(500);
          }
          expect(response).not.toContain('"name": "superlists"');
          expect(response).not.toContain("root:x:0:0");
          expect(errorLines()).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
    // Most requests get a status: the check above is not skipped for every one of them.
    expect(answered).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await snapshotRows(database.db)).toEqual(before);
  });

  test("a chunked body that breaks off midway: a 4xx, logged as the client's doing, not as a server error", async () => {
    const response = await rawRequest(
      server.url,
      [
        "POST /lists/new HTTP/1.1",
        `Host: ${hostHeader()}`,
        "Content-Type: application/x-www-form-urlencoded",
        "Transfer-Encoding: chunked",
        "Connection: close",
        "",
        "5",
        "text=",
        "zz",
        "",
      ].join("\r\n"),
    );
    expect(rawStatus(response)).toBe(400);
    await server.waitForLog((line) => line.msg === "request aborted by the client while sending its body");
    expect(errorLines()).toEqual([]);
  });

  test("a Host header that the URL parser would fold into the path is refused, not routed", async () => {
    const csrf = await firstVisitCsrfToken();
    const before = await snapshotRows(database.db);
    // Each parses to a host of the same length ("0.0.0.0", "1.0.0.2"), so "POST /new" would become
    // "http://0.0.0.0/lists/new" and create a list.
    for (const host of ["0/lists", "1.2/lis", "0/    !"]) {
      const response = await rawFormPost(server.url, "/new", host, csrf, "text=moved");
      expect(rawStatus(response), host).toBe(400);
      expect(response).toContain("The Host header of this request is not a valid host name.");
    }
    expect(await snapshotRows(database.db)).toEqual(before);
    expect(errorLines()).toEqual([]);
  });

  test("static URLs: no path, however encoded, reaches a file outside the assets", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const traversal = fc
      .tuple(
        fc.array(fc.constantFrom("..", "%2e%2e", "%2E%2E", ".%2e", "%252e%252e", "..\\", "....//", "%c0%ae%c0%ae"), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom("/", "%2f", "%2F", "%5c", "\\", "%252f"),
        fc.constantFrom("package.json", "etc/passwd", "src/config.ts", ".env", "db.sqlite3"),
      )
      .map(([ups, separator, file]) => `/static/${ups.join(separator)}${separator}${file}`);
    await checkProperty(
      "static traversal",
      fc.asyncProperty(traversal, async (target) => {
        const response = await rawRequest(
          server.url,
          `GET ${target} HTTP/1.1\r\nHost: ${hostHeader()}\r\nConnection: close\r\n\r\n`,
        );
        expect([400, 404]).toContain(rawStatus(response));
        expect(response).not.toMatch(/"name": "superlists"|root:x:0:0|DATABASE_URL|SQLite format/);
      }),
      { numRuns: 100 },
    );
  });
});

describe("login emails", () => {
  test("whatever the Host header, the email is the plain template ending with one plain link, or the request is refused", {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const csrf = await firstVisitCsrfToken();
    const host = fc.oneof(
      fc.constantFrom(
        hostHeader(),
        "localhost",
        "[::1]:8000",
        "a-b.c_d.example:1",
        'evil.example"><script>alert(1)</script>',
        "evil.example/<script>",
        "evil.example?x=<b>",
        "evil.example#<b>",
        "user:pass@evil.example",
        "evil example",
        "\u00e9vil.example",
        "xn--vil-bma.example",
        "%3Cscript%3E",
        "evil.example:99999",
        "EVIL.example.",
        "0/    !",
      ),
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }),
    );
    const emails = () => readdirSync(outbox).filter((name) => name.endsWith(".json"));
    let linksChecked = 0;
    await checkProperty(
      "Host headers in login links",
      fc.asyncProperty(host, async (value) => {
        const before = new Set(emails());
        const response = await rawFormPost(
          server.url,
          "/accounts/send_login_email",
          value,
          csrf,
          "email=host-test%40example.com",
        );
        const status = rawStatus(response);
        if (status !== 302) {
          expect(status, value).toBe(400);
          expect(emails()).toHaveLength(before.size);
          return;
        }
        linksChecked++;
        const added = emails().filter((name) => !before.has(name));
        expect(added).toHaveLength(1);
        const { text } = JSON.parse(readFileSync(join(outbox, added[0] ?? ""), "utf8")) as { text: string };
        // Plain text: the template, then the link alone on the last line. With ALLOWED_HOSTS unset (as
        // here) the host is whatever the browser said; production mode pins it (tested below).
        const [intro, link = ""] = text.split(/\n\n(?=[^\n]*$)/);
        expect(intro).toBe(
          "Hello,\n\nThe link below logs you in once, within 15 minutes of asking for it.\nUse this link to log in:",
        );
        expect(link).toMatch(/^http:\/\/[^\s<>]+\/accounts\/login\?token=[\w-]{43}$/);
        const url = new URL(link);
        expect([url.username, url.password, url.pathname, [...url.searchParams.keys()]]).toEqual([
          "",
          "",
          "/accounts/login",
          ["token"],
        ]);
      }),
      { numRuns: 100 },
    );
    // The valid host names among the inputs were accepted, so links were really checked.
    expect(linksChecked).toBeGreaterThan(0);
  });
});

describe("oversized bodies over HTTP", () => {
  /** A form of `megabytes` MB posted to the list, its length declared or its body chunked. */
  function postLargeForm(megabytes: number, chunked: boolean): Promise<string> {
    const body = `text=${"x".repeat(megabytes * 1024 * 1024)}`;
    const framed = chunked ? `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n` : body;
    return rawRequest(
      server.url,
      [
        `POST ${listPath} HTTP/1.1`,
        `Host: ${hostHeader()}`,
        "Content-Type: application/x-www-form-urlencoded",
        chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${body.length}`,
        "Connection: close",
        "",
        framed,
      ].join("\r\n"),
    );
  }

  test.each([
    ["with a Content-Length", false],
    ["chunked", true],
  ])("a 1 MB form %s gets a 413 page and stores nothing; the server stays up", async (_label, chunked) => {
    const before = await snapshotRows(database.db);
    const response = await postLargeForm(1, chunked);
    expect(rawStatus(response)).toBe(413);
    expect(response).toContain(`at most ${MAX_FORM_BYTES / 1024} KB`);
    expect(await snapshotRows(database.db)).toEqual(before);
    expect((await client.get(listPath)).status).toBe(200);
    expect(errorLines()).toEqual([]);
  });

  test("a refused body of 8 MB, more than the socket buffers hold, is read to its end: the client sees the 413 page, not a reset", async () => {
    // Answering and closing while the body still arrives would reset the connection
    // before this client has finished sending, and it would never read the page.
    const response = await postLargeForm(8, false);
    expect(rawStatus(response)).toBe(413);
    expect(errorLines()).toEqual([]);
  });
});

describe("host names in production mode", () => {
  let production: ServerProcess;
  let productionDatabase: TestDatabase;
  let emailDir: string;

  beforeAll(async () => {
    productionDatabase = await createTestDatabase();
    emailDir = mkdtempSync(join(tmpdir(), "superlists-hardening-email-"));
    const env = {
      SUPERLISTS_ENV: "staging",
      LOG_LEVEL: "info",
      SECRET_KEY: "a-staging-secret-key-that-is-long-enough-0123456789",
      ALLOWED_HOSTS: "good.example",
      DATABASE_URL: productionDatabase.url,
      EMAIL_BACKEND: "file",
      EMAIL_FILE_DIR: emailDir,
    };
    // Production mode creates no database: the deployment migrates first.
    expect((await runCli(["migrate"], env)).code).toBe(0);
    production = await startServerProcess(env);
  });
  afterAll(async () => {
    await production?.stop();
    await productionDatabase?.drop();
    rmSync(emailDir, { recursive: true, force: true });
  });

  /** A CSRF cookie for good.example, as a browser on the real site would have. */
  const csrfCookie = () => firstVisitCsrfToken(production.url, "good.example");

  const loginEmailRequest = (target: string, host: string, token: string) =>
    rawFormPost(production.url, target, host, token, "email=victim%40example.com");

  const sentLinks = () =>
    readdirSync(emailDir)
      .filter((name) => name.endsWith(".json"))
      .map((name) =>
        (JSON.parse(readFileSync(join(emailDir, name), "utf8")) as { text: string }).text.split("\n").at(-1),
      );

  test("an absolute-form target naming another host cannot put that host in a login link", async () => {
    const token = await csrfCookie();
    const poisoned = await loginEmailRequest("http://evil.example/accounts/send_login_email", "good.example", token);
    expect(rawStatus(poisoned)).toBe(400);
    expect(sentLinks()).toEqual([]);

    // The same request, addressed to the site itself, works: the refusal is about the host alone.
    const genuine = await loginEmailRequest("http://good.example/accounts/send_login_email", "good.example", token);
    expect(rawStatus(genuine)).toBe(302);
    expect(sentLinks()).toEqual([expect.stringMatching(/^http:\/\/good\.example\/accounts\/login\?token=[\w-]+$/)]);
  });

  test("a Host header that is not allowed is refused, however it is dressed up", async () => {
    for (const host of [
      "evil.example",
      "good.example.evil.example",
      "evil.example#good.example",
      "good.example@evil.example",
      "",
    ]) {
      const response = await rawRequest(production.url, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(rawStatus(response), host).toBe(400);
    }
    const allowed = await rawRequest(
      production.url,
      "GET / HTTP/1.1\r\nHost: GOOD.example:8080\r\nConnection: close\r\n\r\n",
    );
    expect(rawStatus(allowed)).toBe(200);
  });
});
