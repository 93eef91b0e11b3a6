#!/usr/bin/env node
// `superlists <command>` (npx superlists, npm start): plain JavaScript, so that a Node.js
// too old to run the TypeScript sources can still read it and say what is needed.
import { readFileSync } from "node:fs";

const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const [needMajor, needMinor] = engines.node.replace(">=", "").split(".").map(Number);
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    `superlists: needs Node.js ${needMajor}.${needMinor} or newer (24 LTS recommended); this is Node.js ${process.versions.node}\n`,
  );
  process.exit(2);
}
await import("../src/cli/main.ts");
