// Reads the Dockerfile the way Docker does, for what must match the image: the
// static checks of tests/unit/dockerfile.test.ts and the bench, which runs the
// server with the image's runtime settings.
import { readFileSync } from "node:fs";

export type Instruction = { keyword: string; args: string };

/** Instructions in order, with line continuations joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const logicalLines = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n");
  return logicalLines
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

/** Splits instructions into build stages, each starting with its FROM. */
export function stagesOf(instructions: Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

/** The KEY=value pairs of ENV/ARG instructions (including the legacy `ENV KEY value` form). */
export function variablesOf(instructions: Instruction[]): { keyword: string; name: string; value: string }[] {
  return instructions
    .filter(({ keyword }) => keyword === "ENV" || keyword === "ARG")
    .flatMap(({ keyword, args }) => {
      if (keyword === "ENV" && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
        const [name = "", ...value] = args.split(/\s+/);
        return [{ keyword, name, value: value.join(" ") }];
      }
      // NAME=value pairs; a double-quoted value may hold spaces.
      return [...args.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map(([, name = "", value = ""]) => ({
        keyword,
        name,
        value: value.replace(/^"(.*)"$/, "$1"),
      }));
    });
}

export const DOCKERFILE_PATH = new URL("../../Dockerfile", import.meta.url);

/** The variables the final image sets (ENV and ARG of its last stage). */
export function imageEnvironment(text = readFileSync(DOCKERFILE_PATH, "utf8")): Map<string, string> {
  const finalStage = stagesOf(parseDockerfile(text)).at(-1) ?? [];
  return new Map(variablesOf(finalStage).map(({ name, value }) => [name, value]));
}
