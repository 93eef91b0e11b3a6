// `npm run dev` in a fresh checkout, which has no .env: the server starts and says
// where it listens (its output is JSON here, as stdout is not a terminal).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const checkout = mkdtempSync(join(tmpdir(), "superlists-dev-"));
for (const entry of ["package.json", "bin", "src", "static", "node_modules"]) {
  symlinkSync(join(ROOT, entry), join(checkout, entry));
}
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

test("npm run dev starts the server without a .env file", async () => {
  const dev = spawn("npm", ["run", "--silent", "dev"], {
    cwd: checkout,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", DATABASE_URL: `sqlite:${join(checkout, "db.sqlite3")}` },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const listening = new Promise<string>((resolve, reject) => {
    dev.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      const line = output
        .split("\n")
        .slice(0, -1)
        .find((text) => text.includes('"msg":"listening"'));
      if (line) resolve(String(JSON.parse(line).url));
    });
    dev.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    dev.once("exit", (code) => reject(new Error(`npm run dev exited (${code}):\n${output}`)));
  });
  try {
    const url = await listening;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  } finally {
    // npm, node's watcher and the server: the whole process group.
    if (dev.pid !== undefined && dev.exitCode === null) process.kill(-dev.pid, "SIGTERM");
  }
});
