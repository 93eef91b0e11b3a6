import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import { existingServer, parseTestServer } from "../functional/support/target-server.ts";
import { commandLine, detectTransportSpec, parseTransport, type Transport } from "../functional/support/transports.ts";

const LOCAL_CLI = ["/usr/bin/node", "/repo/src/cli/main.ts"];
const KEY = "/home/ci/.ssh/id_ed25519";
const KNOWN_HOSTS = "/tmp/known_hosts";

// Scratch space, with a space in its name so paths need quoting too.
const scratch = mkdtempSync(join(tmpdir(), "transports test "));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An executable that prints its arguments, NUL-separated: the argv a command really received. */
function argvEcho(path: string): string {
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\nfor arg in "$@"; do printf '%s\\0' "$arg"; done\n`);
  chmodSync(path, 0o755);
  return path;
}

function parseArgv(output: string): string[] {
  return output.split("\0").slice(0, -1);
}

const remoteCli = argvEcho(join(scratch, "remote bin", "superlists"));
const fakeBin = join(scratch, "fake bin");
argvEcho(join(fakeBin, "docker"));
argvEcho(join(fakeBin, "ssh"));

/** What the remote side of ssh does with the command string: hand it to a POSIX shell. */
function runOnRemoteShell(shell: string, command: string): string[] {
  return parseArgv(
    execFileSync(shell, ["-c", command], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` },
    }),
  );
}

/** The string ssh sends: the last argument of an ssh command line. */
function remoteCommand(transport: Transport, cliArgs: string[]): string {
  return commandLine(transport, cliArgs).args.at(-1) as string;
}

// Harmless stand-ins for `$(rm -rf /)`: if quoting were broken this test must fail, not wipe the machine.
const marker = join(scratch, "injected");
const AWKWARD_ARGS = [
  "with space",
  "it's",
  '"double quoted"',
  `$(touch '${marker}')`,
  `\`touch '${marker}'\``,
  `x; touch '${marker}'`,
  `x && touch '${marker}' | cat > '${marker}'`,
  "$HOME",
  "*",
  "~",
  "-rf",
  "",
  "line\nbreak",
  "tab\there",
  "back\\slash\\",
  "!!",
  "#not a comment",
  "ünïcødé ✓",
];

describe("parseTransport and commandLine", () => {
  test("local runs the CLI here, with the target's variables", () => {
    const transport = parseTransport("local", { localCli: LOCAL_CLI, localEnv: { SUPERLISTS_ENV: "staging" } });
    expect(commandLine(transport, ["flush", "--no-input"])).toEqual({
      file: "/usr/bin/node",
      args: ["/repo/src/cli/main.ts", "flush", "--no-input"],
      env: { SUPERLISTS_ENV: "staging" },
    });
  });

  test("local without an env file adds no variables", () => {
    expect(commandLine(parseTransport("local", { localCli: LOCAL_CLI }), ["info"]).env).toEqual({});
  });

  test("docker execs the CLI in the named container, arguments passed as they are", () => {
    const transport = parseTransport("docker:superlists-staging_1.0", { localCli: LOCAL_CLI });
    expect(commandLine(transport, ["create-session", "it's me@example.com"])).toEqual({
      file: "docker",
      args: ["exec", "superlists-staging_1.0", "superlists", "create-session", "it's me@example.com"],
    });
  });

  test("ssh runs the remote CLI non-interactively with the key, known hosts and port given", () => {
    const transport = parseTransport("ssh:deploy@staging.example.com:2222", {
      localCli: LOCAL_CLI,
      remoteCli: "/opt/superlists/bin/superlists",
    });
    expect(transport).toEqual({
      kind: "ssh",
      user: "deploy",
      host: "staging.example.com",
      port: 2222,
      remoteCli: "/opt/superlists/bin/superlists",
    });
    expect(
      commandLine(transport, ["create-session", "edith@example.com"], {
        identityFile: KEY,
        knownHostsFile: KNOWN_HOSTS,
      }),
    ).toEqual({
      file: "ssh",
      args: [
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=accept-new",
        "-o",
        `UserKnownHostsFile=${KNOWN_HOSTS}`,
        "-i",
        KEY,
        "-p",
        "2222",
        "deploy@staging.example.com",
        "/opt/superlists/bin/superlists create-session edith@example.com",
      ],
    });
  });

  test("ssh without options or port uses ssh's defaults and the `superlists` on the remote PATH", () => {
    const transport = parseTransport("ssh:root@staging.example.com", { localCli: LOCAL_CLI });
    expect(commandLine(transport, ["info"]).args).toEqual([
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "root@staging.example.com",
      "superlists info",
    ]);
  });

  test("ssh+docker runs docker exec in the container on the remote host", () => {
    const transport = parseTransport("ssh+docker:deploy@staging.example.com:2222/superlists", {
      localCli: LOCAL_CLI,
    });
    expect(commandLine(transport, ["emails", "--to", "edith@example.com", "--json"], { identityFile: KEY })).toEqual({
      file: "ssh",
      args: [
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=accept-new",
        "-i",
        KEY,
        "-p",
        "2222",
        "deploy@staging.example.com",
        "docker exec superlists superlists emails --to edith@example.com --json",
      ],
    });
  });

  test.each([
    ["ssh:root@[::1]:2222", "root@::1"],
    ["ssh:root@[2001:db8::1]", "root@2001:db8::1"],
    ["ssh+docker:root@[2001:db8::1]:2222/superlists", "root@2001:db8::1"],
  ])("%s: an IPv6 host goes to ssh without brackets", (spec, destination) => {
    const args = commandLine(parseTransport(spec, { localCli: LOCAL_CLI }), ["info"]).args;
    expect(args.at(-2)).toBe(destination);
    expect(args.includes("-p")).toBe(spec.includes("]:2222"));
  });

  test.each([
    ["docker:", /not a container name: $/],
    ["docker:-rm", /not a container name: -rm/],
    ["docker:two words", /not a container name: two words/],
    ["ssh:staging.example.com", /not USER@HOST\[:PORT\]: staging\.example\.com/],
    ["ssh:@staging.example.com", /not USER@HOST\[:PORT\]/],
    ["ssh:-oProxyCommand@staging.example.com", /not USER@HOST\[:PORT\]: -oProxyCommand@/],
    ["ssh:root@staging.example.com:ssh", /not USER@HOST\[:PORT\]/],
    ["ssh:root@staging example.com", /not USER@HOST\[:PORT\]/],
    ["ssh", /not USER@HOST\[:PORT\]/],
    ["ssh+docker:root@staging.example.com", /ssh\+docker needs USER@HOST\[:PORT\]\/CONTAINER: root@staging/],
    ["ssh+docker:root@staging.example.com/", /not a container name: $/],
    ["ssh+docker:staging.example.com/superlists", /not USER@HOST\[:PORT\]: staging\.example\.com$/],
    ["kubectl:superlists", /unknown transport "kubectl:superlists": use local, docker:NAME, ssh:USER@HOST/],
    ["", /unknown transport ""/],
  ])("%j is refused: %s", (spec, message) => {
    expect(() => parseTransport(spec, { localCli: LOCAL_CLI })).toThrow(message);
  });
});

describe("remote command quoting", () => {
  afterEach(() => {
    expect(existsSync(marker), "a shell ran part of an argument as a command").toBe(false);
  });

  test.each(["sh", "bash"])(
    "through ssh, every awkward argument reaches the remote CLI as one literal word (%s)",
    (shell) => {
      const transport = parseTransport("ssh:root@127.0.0.1", { localCli: LOCAL_CLI, remoteCli });
      expect(runOnRemoteShell(shell, remoteCommand(transport, AWKWARD_ARGS))).toEqual(AWKWARD_ARGS);
    },
  );

  test("through ssh+docker, docker receives the container, the CLI and every argument intact", () => {
    const transport = parseTransport("ssh+docker:root@127.0.0.1/superlists", { localCli: LOCAL_CLI });
    expect(runOnRemoteShell("sh", remoteCommand(transport, AWKWARD_ARGS))).toEqual([
      "exec",
      "superlists",
      "superlists",
      ...AWKWARD_ARGS,
    ]);
  });

  test("any arguments at all survive the remote shell", () => {
    const transport = parseTransport("ssh:root@127.0.0.1", { localCli: LOCAL_CLI, remoteCli });
    const shellish = fc.constantFrom(..."'\"\\$`!*?~#;&|<>(){}[]= \t\n");
    // Any code point but NUL, which no argv can hold.
    const anyChar = fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((char) => char !== "\0");
    const argument = fc.string({ unit: fc.oneof(shellish, anyChar), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 5 }), (args) => {
        expect(runOnRemoteShell("sh", remoteCommand(transport, args))).toEqual(args);
      }),
      { numRuns: 60 },
    );
  });
});

describe("detectTransportSpec", () => {
  test.each([
    [undefined, {}, "local"],
    ["localhost", {}, "local"],
    ["127.0.0.1", {}, "local"],
    ["[::1]", {}, "local"],
    ["localhost", { TEST_CONTAINER: "superlists" }, "docker:superlists"],
    ["127.0.0.1", { TEST_CONTAINER: "superlists" }, "docker:superlists"],
    ["staging.example.com", {}, "ssh:root@staging.example.com"],
    ["staging.example.com", { TEST_SSH_USER: "deploy" }, "ssh:deploy@staging.example.com"],
    ["staging.example.com", { TEST_SSH_USER: "" }, "ssh:root@staging.example.com"],
    ["[2001:db8::1]", {}, "ssh:root@[2001:db8::1]"],
    ["staging.example.com", { TEST_CONTAINER: "superlists" }, "ssh+docker:root@staging.example.com/superlists"],
    [
      "staging.example.com",
      { TEST_SSH_USER: "deploy", TEST_CONTAINER: "superlists" },
      "ssh+docker:deploy@staging.example.com/superlists",
    ],
    ["staging.example.com", { TEST_TRANSPORT: "local", TEST_CONTAINER: "superlists" }, "local"],
    ["127.0.0.1", { TEST_TRANSPORT: "ssh:root@127.0.0.1:2222" }, "ssh:root@127.0.0.1:2222"],
    [undefined, { TEST_TRANSPORT: "docker:superlists" }, "docker:superlists"],
  ])("TEST_SERVER host %s with %j → %s", (host, env, expected) => {
    const spec = detectTransportSpec(host, env);
    expect(spec).toBe(expected);
    // Whatever is detected must be a transport the suite can use.
    expect(() => parseTransport(spec, { localCli: LOCAL_CLI })).not.toThrow();
  });
});

describe("parseTestServer", () => {
  test.each([
    ["staging.example.com", "http://staging.example.com", "staging.example.com"],
    ["localhost:8888", "http://localhost:8888", "localhost"],
    ["127.0.0.1:8888", "http://127.0.0.1:8888", "127.0.0.1"],
    ["https://staging.example.com/", "https://staging.example.com", "staging.example.com"],
    ["http://staging.example.com:8000/some/path?q=1", "http://staging.example.com:8000", "staging.example.com"],
    ["Staging.Example.COM", "http://staging.example.com", "staging.example.com"],
    ["[::1]:8000", "http://[::1]:8000", "[::1]"],
  ])("%s → %s on host %s", (value, baseURL, host) => {
    expect(parseTestServer(value)).toEqual({ baseURL, host });
  });
});

describe("existingServer runs commands on the target it is given", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function envFile(name: string, role: string): string {
    const path = join(scratch, name);
    writeFileSync(
      path,
      [
        `SUPERLISTS_ENV=${role}`,
        `SECRET_KEY=${"k".repeat(40)}`,
        "ALLOWED_HOSTS=127.0.0.1",
        `DATABASE_URL=sqlite:${join(scratch, `${name}.sqlite3`)}`,
        "EMAIL_BACKEND=console",
        "",
      ].join("\n"),
    );
    return path;
  }

  test("locally, with the variables of TEST_ENV_FILE", async () => {
    const target = existingServer({ TEST_SERVER: "127.0.0.1:8888", TEST_ENV_FILE: envFile("staging.env", "staging") });
    expect(target.baseURL).toBe("http://127.0.0.1:8888");
    expect(target.transport.kind).toBe("local");
    const info = JSON.parse((await target.run(["info"])).stdout);
    expect(info).toMatchObject({ role: "staging", database: "sqlite" });
  });

  test("a refusal on the target fails the command with its exit code and message", async () => {
    const target = existingServer({
      TEST_SERVER: "localhost:8888",
      TEST_ENV_FILE: envFile("production.env", "production"),
    });
    await expect(target.run(["flush", "--no-input"])).rejects.toThrow(
      /\(exit 3\)[\s\S]*--- stderr ---\nsuperlists: flush refuses to run when SUPERLISTS_ENV=production/,
    );
  });

  test("over ssh, with TEST_SSH_USER, TEST_SSH_KEY, TEST_SSH_KNOWN_HOSTS and TEST_REMOTE_CLI", async () => {
    vi.stubEnv("PATH", `${fakeBin}:${process.env.PATH}`);
    const target = existingServer({
      TEST_SERVER: "https://staging.example.com",
      TEST_SSH_USER: "deploy",
      TEST_SSH_KEY: KEY,
      TEST_SSH_KNOWN_HOSTS: KNOWN_HOSTS,
      TEST_REMOTE_CLI: remoteCli,
    });
    expect(target.baseURL).toBe("https://staging.example.com");
    const sshArgv = parseArgv((await target.run(["create-session", "o'brien@example.com"])).stdout);
    expect(sshArgv.slice(0, -1)).toEqual([
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      `UserKnownHostsFile=${KNOWN_HOSTS}`,
      "-i",
      KEY,
      "deploy@staging.example.com",
    ]);
    expect(runOnRemoteShell("sh", sshArgv.at(-1) as string)).toEqual(["create-session", "o'brien@example.com"]);
  });
});
