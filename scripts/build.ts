// `npm run build`: the production bundle that the Docker image, the staging server
// and the bench run — dist/main.js and one chunk with the whole program: one file to
// load instead of hundreds of modules starts faster and with less memory.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const DIST_DIR = fileURLToPath(new URL("../dist/", import.meta.url));
export const BUILT_CLI = `${DIST_DIR}main.js`;

export async function buildBundle(): Promise<void> {
  rmSync(DIST_DIR, { recursive: true, force: true });
  await build({
    entryPoints: [fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))],
    outdir: DIST_DIR,
    bundle: true,
    // main.js turns on Node's compile cache before importing the program, which goes
    // in its own chunk so that it is cached too.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    // Resolved from node_modules at run time: pg is loaded only for PostgreSQL, pino-pretty
    // only for a development terminal's log; pino is kept as published (its transports
    // start worker threads from its own files).
    external: ["pg", "pino", "pino-pretty"],
    // Readable stack traces in production logs: not minified, names kept.
    minify: false,
    // The CommonJS packages bundled in (nodemailer, commander) call require().
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundle();
