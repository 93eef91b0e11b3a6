// How the functional tests run `superlists <command>` on the target server:
// locally, in a Docker container, over SSH, or over SSH in a container
// (the chapter's `docker exec` / `ssh … docker exec`). Pure command construction
// here; running it is in run-command.ts.

export type Transport =
  | { kind: "local"; cli: string[]; env: Record<string, string> }
  | { kind: "docker"; container: string }
  | { kind: "ssh"; user: string; host: string; port: number | undefined; remoteCli: string }
  | { kind: "ssh+docker"; user: string; host: string; port: number | undefined; container: string };

export type SshOptions = { identityFile?: string | undefined; knownHostsFile?: string | undefined };

export type CommandLine = { file: string; args: string[]; env?: Record<string, string> };

// The user may not start with "-": ssh would read "-…@host" as options, not a destination.
const SSH_TARGET = /^([A-Za-z0-9._][A-Za-z0-9._-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d+))?$/;
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function parseSshTarget(text: string): { user: string; host: string; port: number | undefined } {
  const match = SSH_TARGET.exec(text);
  if (!match) throw new Error(`not USER@HOST[:PORT]: ${text}`);
  return { user: match[1] as string, host: match[2] as string, port: match[3] ? Number(match[3]) : undefined };
}

function checkContainer(name: string): string {
  if (!CONTAINER_NAME.test(name)) throw new Error(`not a container name: ${name}`);
  return name;
}

/**
 * Parses TEST_TRANSPORT: `local`, `docker:CONTAINER`, `ssh:USER@HOST[:PORT]`,
 * `ssh+docker:USER@HOST[:PORT]/CONTAINER`.
 */
export function parseTransport(
  spec: string,
  defaults: { localCli: string[]; localEnv?: Record<string, string>; remoteCli?: string },
): Transport {
  const [kind, rest = ""] = spec.includes(":")
    ? [spec.slice(0, spec.indexOf(":")), spec.slice(spec.indexOf(":") + 1)]
    : [spec];
  switch (kind) {
    case "local":
      return { kind: "local", cli: defaults.localCli, env: defaults.localEnv ?? {} };
    case "docker":
      return { kind: "docker", container: checkContainer(rest) };
    case "ssh":
      return { kind: "ssh", ...parseSshTarget(rest), remoteCli: defaults.remoteCli ?? "superlists" };
    case "ssh+docker": {
      const slash = rest.lastIndexOf("/");
      if (slash === -1) throw new Error(`ssh+docker needs USER@HOST[:PORT]/CONTAINER: ${rest}`);
      return {
        kind: "ssh+docker",
        ...parseSshTarget(rest.slice(0, slash)),
        container: checkContainer(rest.slice(slash + 1)),
      };
    }
    default:
      throw new Error(
        `unknown transport "${spec}": use local, docker:NAME, ssh:USER@HOST[:PORT] or ssh+docker:USER@HOST[:PORT]/NAME`,
      );
  }
}

/**
 * The chapter's auto-detection: a server on this machine is a local process
 * (or, with a container name, a local container); a remote one is reached over
 * SSH, inside its container if one is named.
 */
export function detectTransportSpec(
  testServerHost: string | undefined,
  env: Record<string, string | undefined>,
): string {
  if (env.TEST_TRANSPORT) return env.TEST_TRANSPORT;
  if (!testServerHost) return "local";
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(testServerHost);
  const container = env.TEST_CONTAINER;
  if (local) return container ? `docker:${container}` : "local";
  const user = env.TEST_SSH_USER || "root";
  return container ? `ssh+docker:${user}@${testServerHost}/${container}` : `ssh:${user}@${testServerHost}`;
}

/** Quotes one word for a POSIX shell (the remote side of ssh always runs one). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function sshArgs(user: string, host: string, port: number | undefined, options: SshOptions): string[] {
  return [
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=accept-new",
    ...(options.knownHostsFile ? ["-o", `UserKnownHostsFile=${options.knownHostsFile}`] : []),
    ...(options.identityFile ? ["-i", options.identityFile] : []),
    ...(port ? ["-p", String(port)] : []),
    `${user}@${host.replace(/^\[|\]$/g, "")}`,
  ];
}

/** The command line that runs `superlists ...cliArgs` on the target. */
export function commandLine(transport: Transport, cliArgs: string[], ssh: SshOptions = {}): CommandLine {
  switch (transport.kind) {
    case "local": {
      const [file, ...args] = transport.cli;
      return { file: file as string, args: [...args, ...cliArgs], env: transport.env };
    }
    case "docker":
      return { file: "docker", args: ["exec", transport.container, "superlists", ...cliArgs] };
    case "ssh":
      return {
        file: "ssh",
        args: [
          ...sshArgs(transport.user, transport.host, transport.port, ssh),
          [transport.remoteCli, ...cliArgs].map(shellQuote).join(" "),
        ],
      };
    case "ssh+docker":
      return {
        file: "ssh",
        args: [
          ...sshArgs(transport.user, transport.host, transport.port, ssh),
          ["docker", "exec", transport.container, "superlists", ...cliArgs].map(shellQuote).join(" "),
        ],
      };
  }
}
