// Production mode (staging and production roles): refuses to start half
// configured, serves only its own host names, warns about the chapter's
// missing EMAIL_PASSWORD at start-up.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDatabaseUrl } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { schemaStatus } from "../../src/db/migrate.ts";
import { runCli } from "../support/run-cli.ts";
import { type LogLine, type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET_KEY = "a-production-secret-key-of-at-least-32-characters";

let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
  // Production mode creates no database: the deployment migrates first.
  expect((await runCli(["migrate"], productionEnv())).code).toBe(0);
});
afterAll(() => testDatabase.drop());

/** A complete production configuration that sends no email anywhere real. */
const productionEnv = (): Record<string, string> => ({
  SUPERLISTS_ENV: "production",
  DATABASE_URL: testDatabase.url,
  SECRET_KEY,
  ALLOWED_HOSTS: "superlists.example.com, .example.org",
  EMAIL_BACKEND: "smtp",
  // Never contacted: nothing in these tests sends an email.
  EMAIL_HOST: "127.0.0.1",
  EMAIL_PORT: "9",
  EMAIL_HOST_USER: "noreply@superlists.example.com",
  EMAIL_PASSWORD: "smtp-password",
});

function without(env: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _, ...rest } = env;
  return rest;
}

describe("refusing to start", () => {
  let untouched: TestDatabase;
  beforeAll(async () => {
    untouched = await createTestDatabase();
  });
  afterAll(() => untouched.drop());

  test.each([
    ["production", "SECRET_KEY"],
    ["production", "ALLOWED_HOSTS"],
    ["staging", "SECRET_KEY"],
    ["staging", "ALLOWED_HOSTS"],
  ])("%s without %s: one clear line on stderr, exit 2, database untouched", async (role, missing) => {
    const env = { ...productionEnv(), SUPERLISTS_ENV: role, DATABASE_URL: untouched.url };
    const result = await runCli(["serve"], without(env, missing));
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `superlists: ${missing} is required when SUPERLISTS_ENV=${role}\n`,
    });
    const database = openDatabase(parseDatabaseUrl(untouched.url));
    try {
      expect((await schemaStatus(database)).version).toBeNull();
    } finally {
      await database.db.destroy();
    }
  });

  test("the development secret key is refused too", async () => {
    const result = await runCli(["serve"], {
      ...productionEnv(),
      SECRET_KEY: "insecure-development-secret-key-do-not-use-in-production",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^superlists: SECRET_KEY must not be the development default[^\n]*\n$/);
  });

  test.each([
    ["production", "console"],
    ["production", "memory"],
    ["staging", "console"],
    ["staging", "memory"],
  ])(
    "%s with EMAIL_BACKEND=%s (login links are bearer tokens): one clear line, exit 2, database untouched",
    async (role, backend) => {
      const env = { ...productionEnv(), SUPERLISTS_ENV: role, DATABASE_URL: untouched.url, EMAIL_BACKEND: backend };
      const result = await runCli(["serve"], env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(
        new RegExp(`^superlists: EMAIL_BACKEND=${backend} is refused when SUPERLISTS_ENV=${role}: [^\\n]*\\n$`),
      );
      const database = openDatabase(parseDatabaseUrl(untouched.url));
      try {
        expect((await schemaStatus(database)).version).toBeNull();
      } finally {
        await database.db.destroy();
      }
    },
  );
});

/** A GET with exactly this Host header, or none (fetch would not let a test choose). */
function getWithHost(url: string, path: string, host: string | undefined): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const headers = host === undefined ? {} : { Host: host };
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path, headers, setHost: false }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("error", reject).end();
  });
}

/** What the server logged up to "listening". */
function startupLines(server: ServerProcess): LogLine[] {
  const lines = server.logLines();
  return lines.slice(0, lines.findIndex((line) => line.msg === "listening") + 1);
}

describe("a production server process", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(productionEnv());
  });
  afterAll(async () => {
    await server.stop();
  });

  test.each([
    ["superlists.example.com", 200],
    ["SUPERLISTS.example.com:8443", 200],
    ["example.org", 200],
    ["www.example.org:443", 200],
    ["127.0.0.1", 400],
    ["notexample.org", 400],
    ["example.com", 400],
    ["superlists.example.com.evil.net", 400],
    ["superlists.example.com@evil.net", 400],
    ["[::1]:8000", 400],
  ])("Host %s → %i", async (host, status) => {
    expect((await getWithHost(server.url, "/", host)).status).toBe(status);
  });

  test("the refusal is the site's own 400 page", async () => {
    const refused = await getWithHost(server.url, "/", "evil.example.net");
    expect(refused.body).toContain("Bad Request (400)");
    expect(refused.body).toContain("This host name is not served here.");
  });

  test("a request without a Host header is refused", async () => {
    expect((await getWithHost(server.url, "/", undefined)).status).toBe(400);
  });

  test("answers health probes made by IP address", async () => {
    const byIp = new URL(server.url).host;
    expect(await getWithHost(server.url, "/healthz", byIp)).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await getWithHost(server.url, "/readyz", byIp)).status).toBe(200);
    // Only the probes themselves: anything else by IP address is refused.
    for (const path of ["/", "/healthz/", "/static/site.css"]) {
      expect((await getWithHost(server.url, path, byIp)).status, path).toBe(400);
    }
  });

  test("logs only JSON lines, and no start-up warning when the configuration is complete", () => {
    for (const line of server.output().trim().split("\n")) expect(() => JSON.parse(line), line).not.toThrow();
    expect(startupLines(server).filter((line) => line.level >= 40)).toEqual([]);
  });
});

test("the chapter's bug: a production server without EMAIL_PASSWORD warns about it at start-up", async () => {
  const server = await startServerProcess(without(productionEnv(), "EMAIL_PASSWORD"));
  try {
    expect(startupLines(server).filter((line) => line.level >= 40)).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining("EMAIL_PASSWORD") }),
    ]);
  } finally {
    await server.stop();
  }
});

describe("a login email cannot be made to link to another host", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // In process, requests are made to http://testserver.
    testApp = await createTestApp({ SUPERLISTS_ENV: "production", SECRET_KEY, ALLOWED_HOSTS: "testserver" });
  });
  afterAll(() => testApp.close());

  test("a poisoned Host header is refused before any email is sent", async () => {
    const client = testApp.client();
    await client.get("/", { Host: "testserver" });
    const poisoned = await client.post(
      "/accounts/send_login_email",
      { email: "edith@example.com" },
      { Host: "evil.example.net" },
    );
    expect(poisoned.status).toBe(400);
    expect(testApp.mailer.outbox).toEqual([]);

    const genuine = await client.post(
      "/accounts/send_login_email",
      { email: "edith@example.com" },
      { Host: "testserver" },
    );
    expect(genuine.status).toBe(302);
    expect(testApp.mailer.outbox.map((message) => message.to)).toEqual(["edith@example.com"]);
  });
});
