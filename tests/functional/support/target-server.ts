// The server the functional tests drive: one this suite starts (fresh database,
// emails written to a temp dir) or the one TEST_SERVER names, plus the
// transport that runs `superlists` commands next to it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { createTestDatabase } from "../../support/test-database.ts";
import { type CommandResult, runCommandLine } from "./run-command.ts";
import { commandLine, detectTransportSpec, parseTransport, type SshOptions, type Transport } from "./transports.ts";

export type TargetServer = {
  baseURL: string;
  transport: Transport;
  /** Runs `superlists ...args` on the target; rejects with its output on failure. */
  run: (args: string[]) => Promise<CommandResult>;
  stop: () => Promise<void>;
};

const LOCAL_CLI = [process.execPath, resolve("src/cli/main.ts")];
const START_TIMEOUT_MS = 30_000;

function runner(transport: Transport, ssh: SshOptions) {
  return (args: string[]) => runCommandLine(commandLine(transport, args, ssh));
}

/** Normalises TEST_SERVER (`host`, `host:port` or a URL) to a base URL and a host name. */
export function parseTestServer(value: string): { baseURL: string; host: string } {
  const url = new URL(/^https?:\/\//.test(value) ? value : `http://${value}`);
  return { baseURL: url.origin, host: url.hostname };
}

function waitForListening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output()}`)), START_TIMEOUT_MS);
    child.stdout?.on("data", () => {
      const url = output().match(/"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/)?.[1];
      if (url) {
        clearTimeout(timer);
        resolvePromise(url);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output()}`));
    });
  });
}

/** Starts `superlists serve` on a free port with its own fresh database and email directory. */
export async function startOwnServer(): Promise<TargetServer> {
  const database = await createTestDatabase();
  const emailDir = mkdtempSync(join(tmpdir(), "superlists-ft-email-"));
  const env = {
    SUPERLISTS_ENV: "test",
    DATABASE_URL: database.url,
    EMAIL_BACKEND: "file",
    EMAIL_FILE_DIR: emailDir,
    LOG_LEVEL: "info",
  };
  const child = spawn(LOCAL_CLI[0] as string, [...LOCAL_CLI.slice(1), "serve"], {
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const baseURL = await waitForListening(child, () => output);
  const transport: Transport = { kind: "local", cli: LOCAL_CLI, env };
  return {
    baseURL,
    transport,
    run: runner(transport, {}),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await exited;
      }
      await database.drop();
      rmSync(emailDir, { recursive: true, force: true });
    },
  };
}

/** The server TEST_SERVER names; this suite never starts or stops it. */
export function existingServer(env: Record<string, string | undefined>): TargetServer {
  const { baseURL, host } = parseTestServer(env.TEST_SERVER ?? "");
  const localEnv = env.TEST_ENV_FILE
    ? (parseEnv(readFileSync(env.TEST_ENV_FILE, "utf8")) as Record<string, string>)
    : {};
  const transport = parseTransport(detectTransportSpec(host, env), {
    localCli: LOCAL_CLI,
    localEnv,
    remoteCli: env.TEST_REMOTE_CLI,
  });
  const ssh = { identityFile: env.TEST_SSH_KEY, knownHostsFile: env.TEST_SSH_KNOWN_HOSTS };
  return { baseURL, transport, run: runner(transport, ssh), stop: async () => {} };
}
