// Sent messages as JSON files in a directory, one per message: written by the
// `file` backend and the capture directory, read by `superlists emails`.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmailMessage } from "./message.ts";

export type StoredMessage = EmailMessage & { date: string };

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return ["from", "to", "subject", "text", "date"].every((key) => typeof record[key] === "string");
}

export async function writeMessageFile(dir: string, message: EmailMessage, now = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true });
  // Names sort by time; the random suffix keeps same-millisecond messages apart.
  const name = `${now.toISOString().replaceAll(":", "-")}-${randomBytes(4).toString("hex")}.json`;
  const path = join(dir, name);
  const stored: StoredMessage = { ...message, date: now.toISOString() };
  // Written under a temporary name, then renamed: a reader never sees half a message.
  await writeFile(`${path}.tmp`, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return path;
}

/** Every message in the directory, newest first; a missing directory holds none. */
export async function readMessageFiles(dir: string): Promise<StoredMessage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const messages: StoredMessage[] = [];
  for (const name of names
    .filter((entry) => entry.endsWith(".json"))
    .sort()
    .reverse()) {
    const parsed: unknown = JSON.parse(await readFile(join(dir, name), "utf8"));
    if (isStoredMessage(parsed)) messages.push(parsed);
  }
  return messages;
}
