// Sent messages as JSON files in a directory, one per message: written by the
// `file` backend and the capture directory, read by `superlists emails`.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmailConfig } from "../config.ts";
import type { EmailMessage } from "./message.ts";

export type StoredMessage = EmailMessage & { date: string };

/** Where sent messages are kept as files, if anywhere: the capture directory or the file backend's. */
export function capturedMessagesDir(email: EmailConfig): string | undefined {
  return email.captureDir ?? (email.backend === "file" ? email.fileDir : undefined);
}

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

/** Names of the message files in the directory, newest first; a missing directory holds none. */
async function messageFileNames(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((entry) => entry.endsWith(".json"))
      .sort()
      .reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Every message in the directory, newest first. */
export async function readMessageFiles(dir: string): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = [];
  for (const name of await messageFileNames(dir)) {
    const parsed: unknown = JSON.parse(await readFile(join(dir, name), "utf8"));
    if (isStoredMessage(parsed)) messages.push(parsed);
  }
  return messages;
}

export async function deleteMessageFiles(dir: string): Promise<void> {
  for (const name of await messageFileNames(dir)) await rm(join(dir, name), { force: true });
}
