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
};

/** Tables holding data (not the migrator's bookkeeping), children before parents. */
export const DATA_TABLES = ["items", "list_shares", "lists", "sessions", "login_tokens", "users"] as const;
