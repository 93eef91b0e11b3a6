// List ids are 128 random bits in hex: unguessable, so an ownerless list is
// private to whoever has its URL.
import { randomBytes } from "node:crypto";

const LIST_ID_SHAPE = /^[0-9a-f]{32}$/;

export function newListId(): string {
  return randomBytes(16).toString("hex");
}

export function isListId(value: string): boolean {
  return LIST_ID_SHAPE.test(value);
}
