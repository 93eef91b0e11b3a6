// The server the functional tests drive: one this suite starts (fresh database,
// emails written to a temp dir) or the one TEST_SERVER names, plus the
// transport that runs `superlists` commands next to it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { SUPERLISTS_CLI, startServerProcess } from "../../support/server-process.ts";
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

function runner(transport: Transport, ssh: SshOptions) {
  return (args: string[]) => runCommandLine(commandLine(transport, args, ssh));
}

/** Normalises TEST_SERVER (`host`, `host:port` or a URL) to a base URL and a host name. */
export function parseTestServer(value: string): { baseURL: string; host: string } {
  const url = new URL(/^https?:\/\//.test(value) ? value : `http://${value}`);
  return { baseURL: url.origin, host: url.hostname };
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
  const server = await startServerProcess(env);
  const transport: Transport = { kind: "local", cli: SUPERLISTS_CLI, env };
  return {
    baseURL: server.url,
    transport,
    run: runner(transport, {}),
    stop: async () => {
      await server.stop();
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
    localCli: SUPERLISTS_CLI,
    localEnv,
    remoteCli: env.TEST_REMOTE_CLI,
  });
  const ssh = { identityFile: env.TEST_SSH_KEY, knownHostsFile: env.TEST_SSH_KNOWN_HOSTS };
  return { baseURL, transport, run: runner(transport, ssh), stop: async () => {} };
}
