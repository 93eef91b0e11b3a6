// Asks the operator to type "yes" before a command that replaces or deletes data.
import { createInterface } from "node:readline/promises";

export async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  // Input that ends unanswered (a script without --no-input) means no; question() alone would wait forever.
  const unanswered = new Promise<string>((resolve) => prompt.once("close", () => resolve("")));
  try {
    return (await Promise.race([prompt.question(question), unanswered])).trim().toLowerCase() === "yes";
  } finally {
    prompt.close();
  }
}
