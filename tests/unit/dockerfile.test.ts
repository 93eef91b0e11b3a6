// These tests read the Dockerfile and .dockerignore and check the invariants a
// deployment relies on, in a second and with no container engine. The image itself
// is built and deployed for real by `npm run deploy:rehearsal` (CI's last step).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DOCKERFILE_PATH, imageEnvironment, parseDockerfile, stagesOf, variablesOf } from "../support/dockerfile.ts";

const dockerfile = readFileSync(DOCKERFILE_PATH, "utf8");
const dockerignore = readFileSync(new URL("../../.dockerignore", import.meta.url), "utf8");
const instructions = parseDockerfile(dockerfile);
const stages = stagesOf(instructions);
const finalStage = stages.at(-1) ?? [];
const finalOf = (keyword: string) => finalStage.filter((instruction) => instruction.keyword === keyword);
const finalEnv = imageEnvironment(dockerfile);

describe("Dockerfile", () => {
  test("every stage is built FROM an official Node 24 slim image", () => {
    const images = instructions.filter(({ keyword }) => keyword === "FROM").map(({ args }) => args.split(/\s+/)[0]);
    expect(images.length, "no FROM instruction").toBeGreaterThan(0);
    for (const image of images) {
      expect(image, `FROM ${image} is not node:24[-<debian>]-slim`).toMatch(
        /^(docker\.io\/(library\/)?)?node:24(\.\d+){0,2}-([a-z]+-)?slim(@sha256:[0-9a-f]{64})?$/,
      );
    }
  });

  test("is multi-stage, so build-time files stay out of the final image", () => {
    expect(stages.length, "fewer than two FROM instructions").toBeGreaterThanOrEqual(2);
    expect(
      finalOf("COPY").some(({ args }) => /--from=\S+/.test(args) && args.includes("node_modules")),
      "the final stage does not COPY --from=<deps stage> the node_modules",
    ).toBe(true);
  });

  test("the final image's node_modules come from a stage that installed production dependencies only", () => {
    const runs = instructions.filter(({ keyword }) => keyword === "RUN").map(({ args }) => args);
    for (const run of runs) {
      expect(run, "npm install is not reproducible: use npm ci").not.toMatch(/\bnpm (install|i)\b/);
    }
    const copied = finalOf("COPY").find(({ args }) => /--from=\S+/.test(args) && args.includes("node_modules"));
    const from = copied?.args.match(/--from=(\S+)/)?.[1];
    const source = stages.find((stage) => new RegExp(`\\bAS\\s+${from}$`, "i").test(stage[0]?.args ?? ""));
    expect(source, `no stage named ${from}`).toBeDefined();
    const installs = (source ?? []).filter(({ keyword, args }) => keyword === "RUN" && /\bnpm ci\b/.test(args));
    expect(installs.length, `stage ${from} runs no npm ci`).toBeGreaterThan(0);
    for (const { args } of installs) expect(args, "npm ci without --omit=dev installs dev tools").toMatch(/--omit=dev/);
  });

  test("runs the production bundle built in its own stage, without the sources", () => {
    expect(
      finalOf("COPY").some(({ args }) => /--from=\S+/.test(args) && /\bdist\b/.test(args)),
      "the final stage does not COPY --from=<build stage> the dist/ bundle",
    ).toBe(true);
    expect(
      finalOf("COPY").some(({ args }) => /(^|\s)src\b/.test(args)),
      "the final stage copies src/",
    ).toBe(false);
    expect(
      stages.some((stage) => stage.some(({ keyword, args }) => keyword === "RUN" && /\bnpm run build\b/.test(args))),
      "no stage runs npm run build",
    ).toBe(true);
  });

  test("runs as a non-root user", () => {
    const user = finalOf("USER").at(-1)?.args;
    expect(user, "the final stage has no USER, so the app would run as root").toBeDefined();
    expect(user, `USER ${user} is root`).not.toMatch(/^(root|0)(:|$)/);
  });

  test("serves on port 8888 in production mode, with the database on the /data volume", () => {
    expect(
      finalOf("EXPOSE").some(({ args }) => args.split(/\s+/).includes("8888")),
      "the final stage does not EXPOSE 8888",
    ).toBe(true);
    expect(finalEnv.get("SUPERLISTS_ENV"), "ENV SUPERLISTS_ENV is not production").toBe("production");
    expect(finalEnv.get("HOST"), "ENV HOST must be 0.0.0.0 to be reachable from outside").toBe("0.0.0.0");
    expect(finalEnv.get("PORT"), "ENV PORT does not match EXPOSE 8888").toBe("8888");
    expect(finalEnv.get("DATABASE_URL"), "ENV DATABASE_URL does not point into /data").toMatch(/^sqlite:\/data\//);
    expect(
      finalOf("VOLUME").some(({ args }) => /^(\/data|\[\s*"\/data"\s*\])$/.test(args)),
      "no VOLUME /data",
    ).toBe(true);
  });

  test("caps the server's memory: V8 heap limits in NODE_OPTIONS, two malloc arenas", () => {
    const nodeOptions = finalEnv.get("NODE_OPTIONS") ?? "";
    expect(nodeOptions, "NODE_OPTIONS sets no old-space limit").toMatch(/--max-old-space-size=\d+/);
    expect(nodeOptions, "NODE_OPTIONS sets no semi-space limit").toMatch(/--max-semi-space-size=\d+/);
    expect(finalEnv.get("MALLOC_ARENA_MAX"), "MALLOC_ARENA_MAX is not set").toMatch(/^\d+$/);
  });

  test("has a HEALTHCHECK that probes /healthz", () => {
    const healthcheck = finalOf("HEALTHCHECK").at(-1)?.args;
    expect(healthcheck, "the final stage has no HEALTHCHECK").toBeDefined();
    expect(healthcheck, "HEALTHCHECK NONE disables the check").not.toMatch(/^NONE\b/i);
    expect(healthcheck, "the HEALTHCHECK does not probe /healthz").toContain("/healthz");
  });

  test("starts the server with an exec-form CMD, so node receives SIGTERM", () => {
    const cmd = finalOf("CMD").at(-1)?.args ?? "";
    let argv: unknown;
    try {
      argv = JSON.parse(cmd);
    } catch {
      argv = undefined;
    }
    expect(Array.isArray(argv), `CMD ${cmd} is not exec form (a JSON array)`).toBe(true);
    expect((argv as string[])[0], "CMD does not run node directly").toBe("node");
    expect(argv as string[], "CMD does not run the bundle's serve command").toEqual(["node", "dist/main.js", "serve"]);
    expect(finalOf("ENTRYPOINT"), "an ENTRYPOINT would wrap the CMD").toEqual([]);
  });

  test("puts the superlists CLI on the PATH for docker exec", () => {
    expect(
      finalOf("RUN").some(({ args }) => /ln -s \S*dist\/main\.js \/usr\/local\/bin\/superlists/.test(args)),
      "no /usr/local/bin/superlists link to dist/main.js",
    ).toBe(true);
  });

  test("bakes in no secrets", () => {
    for (const { keyword, name, value } of variablesOf(instructions)) {
      expect(name, `${keyword} ${name} sets a secret: pass it at run time instead`).not.toMatch(
        /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL/i,
      );
      expect(value, `${keyword} ${name} has credentials in a URL`).not.toMatch(/:\/\/[^/\s:@]+:[^/\s@]+@/);
      expect(value, `${keyword} ${name} looks like a random secret`).not.toMatch(/^[A-Za-z0-9+_-]{24,}={0,2}$/);
    }
  });
});

describe(".dockerignore", () => {
  const patterns = dockerignore
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const normalized = patterns.map((pattern) => pattern.replace(/^(\*\*\/|\/)/, "").replace(/\/$/, ""));

  test.each(["node_modules", ".git", ".env"])("excludes %s from the build context", (path) => {
    expect(normalized, `.dockerignore does not exclude ${path}`).toContain(path);
    expect(patterns, `.dockerignore re-includes ${path}`).not.toContain(`!${path}`);
  });
});
