// PostgreSQL ends the server's idle pooled connections (a database restart, an idle
// timeout, an operator ending sessions): the server logs it, stays up, and the next
// request connects anew. Unhandled, this was an uncaught exception that killed it.
// SQLite has no connections to lose, so this runs when TEST_DATABASE_URL is PostgreSQL.
import pg from "pg";
import { describe, expect, test } from "vitest";
import { listIdFrom } from "../support/html.ts";
import { serverOnTestDatabase } from "../support/server-on-test-database.ts";
import { errorMessage } from "./support/html-checks.ts";
import { HttpClient } from "./support/http-client.ts";

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");

describe.runIf(onPostgres)("idle PostgreSQL connections ended by the server", () => {
  const running = serverOnTestDatabase("all");

  /** What an operator's `pg_terminate_backend` does: ends every other session on the app's database. */
  async function terminateAppConnections(): Promise<number> {
    const admin = new pg.Client({ connectionString: running().database.url });
    await admin.connect();
    try {
      const result = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  test("the server logs a warning, keeps running and answers the next request from a new connection", async () => {
    const { server } = running();
    // /readyz reads the migrations table, leaving a connection idle in the pool.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await terminateAppConnections()).toBeGreaterThan(0);

    const warning = await server.waitForLog((line) => line.msg === "database connection lost; reconnecting");
    expect(warning.level).toBe(40);
    // pg attaches the client to the error: its cancel key and connection parameters stay out of the logs.
    expect(JSON.stringify(warning)).not.toMatch(/secretKey|processID|connectionParameters/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  test("connections ended while requests use them: the server lives, those requests get a 503 'try again', later ones succeed", async () => {
    const { server } = running();
    const client = new HttpClient(server.url);
    const created = await client.post("/lists/new", { text: "Before the terminations" });
    const listPath = `/lists/${listIdFrom(created.headers.get("Location"))}/`;
    const statuses = new Map<number, number>();
    const unavailablePages: Response[] = [];
    let terminations = 0;
    let stop = false;
    const worker = async (index: number) => {
      for (let n = 0; !stop; n++) {
        const response =
          n % 2 === 0 ? await client.post(listPath, { text: `Item ${index}-${n}` }) : await client.get(listPath);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 503) unavailablePages.push(response);
        else await response.arrayBuffer();
      }
    };
    const terminator = async () => {
      // Ends the app's sessions again and again while the workers keep them busy.
      while (terminations < 10) terminations += Math.min(1, await terminateAppConnections());
      stop = true;
    };
    await Promise.all([terminator(), ...Array.from({ length: 8 }, (_, index) => worker(index))]);

    expect(server.child.exitCode).toBeNull();
    expect(statuses.get(500) ?? 0).toBe(0);
    expect([...statuses.keys()].every((status) => [200, 302, 503].includes(status))).toBe(true);
    for (const page of unavailablePages) {
      expect(Number(page.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(errorMessage(await page.text())).toMatch(/try again/i);
    }
    expect((await client.post(listPath, { text: "After the terminations" })).status).toBe(302);
    expect((await client.get(listPath)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
