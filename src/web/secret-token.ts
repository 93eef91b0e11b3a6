// Random secrets handed to users (login tokens, session keys, undo tokens) and their
// hashes: only hashes are stored, so a database leak yields no usable token.
import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
