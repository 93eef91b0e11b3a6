// Table types for Kysely. Times are milliseconds since the epoch in both databases.
import type { ColumnType, Generated } from "kysely";

export type UsersTable = {
  email: string;
  created_at: number;
};

export type ListsTable = {
  id: string;
  owner_email: string | null;
  /** Chosen by the owner; null means "named after the first item". */
  name: string | null;
  /** Kept with every insert and delete of its items. */
  item_count: ColumnType<number, number | undefined, number>;
  created_at: number;
};

export type ItemsTable = {
  id: Generated<number>;
  list_id: string;
  text: string;
  created_at: number;
  /** SQLite answers 0 or 1, PostgreSQL a boolean. */
  done: ColumnType<boolean | number, boolean | undefined, boolean>;
};

export type ListSharesTable = {
  list_id: string;
  email: string;
  created_at: number;
};

export type LoginTokensTable = {
  token_hash: string;
  email: string;
  requester_ip: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Hash of the requesting browser's login cookie value. */
  browser_hash: string | null;
  /** Local path to return to after logging in. */
  next_path: string | null;
};

export type SessionsTable = {
  key_hash: string;
  email: string;
  created_at: number;
  expires_at: number;
};

/** An item taken off a list, kept a short while for "Undo" (removed-items.ts). */
export type RemovedItemsTable = {
  /** Hash of the undo token the remover was given; one token for all the items removed at once. */
  undo_hash: string;
  list_id: string;
  item_id: number;
  text: string;
  done: ColumnType<boolean | number, boolean, boolean>;
  created_at: number;
  removed_at: number;
};

/** One row per email telling someone a list was shared with them: the rate limits' records. */
export type ShareEmailsTable = {
  sharer_email: string;
  sharee_email: string;
  requester_ip: string;
  created_at: number;
};

/** One row per running server process (see server-heartbeats.ts). */
export type ServerHeartbeatsTable = {
  id: string;
  host: string;
  pid: number;
  seen_at: number;
};

export type Schema = {
  users: UsersTable;
  lists: ListsTable;
  items: ItemsTable;
  list_shares: ListSharesTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  server_heartbeats: ServerHeartbeatsTable;
  removed_items: RemovedItemsTable;
  share_emails: ShareEmailsTable;
};

/** Tables holding data (not the migrator's bookkeeping), children before parents. */
export const DATA_TABLES = [
  "removed_items",
  "items",
  "list_shares",
  "lists",
  "share_emails",
  "sessions",
  "login_tokens",
  "users",
] as const;
