// Every variable the configuration reads is documented where a new user looks: the
// table of docs/configuration.md (the README links to it) and .env.example.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { CONFIG_VARIABLES } from "../../src/config.ts";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

test("docs/configuration.md names every variable", () => {
  const documentation = read("docs/configuration.md");
  expect(CONFIG_VARIABLES.filter((name) => !documentation.includes(`\`${name}\``))).toEqual([]);
});

test(".env.example lists every variable, each on a line of its own (commented out or set)", () => {
  const listed = new Set(
    read(".env.example")
      .split("\n")
      .map((line) => line.match(/^#?\s*([A-Z][A-Z0-9_]*)=/)?.[1])
      .filter(Boolean),
  );
  expect(CONFIG_VARIABLES.filter((name) => !listed.has(name))).toEqual([]);
});
