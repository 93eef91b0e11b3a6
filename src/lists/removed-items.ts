// Taking items off a list so that "Undo" can put them back: the removed rows are kept,
// under the hash of a token given to whoever removed them, for UNDO_WINDOW_MS. Put back,
// an item gets its own id again, hence its place, text and done state; the list's item
// limit and the one-text-once rule hold as for any added item.
import type { Kysely, Transaction } from "kysely";
import { runsOnPostgres } from "../db/database.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { preparedQuery } from "../db/prepared-query.ts";
import type { Schema } from "../db/schema.ts";
import { hashToken, newSecretToken } from "../web/secret-token.ts";

type Db = Kysely<Schema>;

/** How long a removal can be undone; the retention job purges older ones. */
export const UNDO_WINDOW_MS = 15 * 60_000;
/** Rows per INSERT, well under either database's limit on parameters. */
const ROWS_PER_INSERT = 200;

export type Removal = { undoToken: string; count: number; texts: string[] };
export type Restored = { result: "restored"; count: number } | { result: "expired" | "duplicate" | "full" };

type RemovedRow = { id: number; text: string; done: boolean | number; created_at: number };

function chunks<T>(rows: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT)
    result.push(rows.slice(start, start + ROWS_PER_INSERT));
  return result;
}

async function keepForUndo(
  trx: Transaction<Schema>,
  listId: string,
  rows: RemovedRow[],
  now: number,
): Promise<Removal | undefined> {
  if (rows.length === 0) return undefined;
  const undoToken = newSecretToken();
  const undoHash = hashToken(undoToken);
  for (const chunk of chunks(rows)) {
    await trx
      .insertInto("removed_items")
      .values(
        chunk.map((row) => ({
          undo_hash: undoHash,
          list_id: listId,
          item_id: row.id,
          text: row.text,
          done: Boolean(row.done),
          created_at: row.created_at,
          removed_at: now,
        })),
      )
      .execute();
  }
  await trx
    .updateTable("lists")
    .set((eb) => ({ item_count: eb("item_count", "-", rows.length) }))
    .where("id", "=", listId)
    .execute();
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  return { undoToken, count: rows.length, texts: sorted.map((row) => row.text) };
}

// PostgreSQL: one statement. It locks the list's row before it deletes the item, in the
// order an add takes them: an add waiting on the unique index for this deletion of the
// same text, while holding the list's row, would otherwise deadlock. SQLite (no
// data-modifying CTEs, one writer at a time): the same steps in a transaction.
const removeItemStatement = preparedQuery((db, listId: string, itemId: number, undoHash: string, now: number) =>
  db
    .with("list", (qb) => qb.selectFrom("lists").select("id").where("id", "=", listId).forNoKeyUpdate())
    .with("removed", (qb) =>
      qb
        .deleteFrom("items")
        .using("list")
        .whereRef("items.list_id", "=", "list.id")
        .where("items.id", "=", itemId)
        .returning(["items.id", "items.list_id", "items.text", "items.done", "items.created_at"]),
    )
    .with("kept", (qb) =>
      qb
        .insertInto("removed_items")
        .columns(["undo_hash", "list_id", "item_id", "text", "done", "created_at", "removed_at"])
        .expression((eb) =>
          eb
            .selectFrom("removed")
            .select((eb) => [
              eb.cast<string>(eb.val(undoHash), "varchar(64)").as("undo_hash"),
              "removed.list_id",
              "removed.id",
              "removed.text",
              "removed.done",
              "removed.created_at",
              eb.cast<number>(eb.val(now), "bigint").as("removed_at"),
            ]),
        ),
    )
    .updateTable("lists")
    .from("removed")
    .set((eb) => ({ item_count: eb("lists.item_count", "-", 1) }))
    .whereRef("lists.id", "=", "removed.list_id")
    .returning("removed.text"),
);

/** Removes one item, keeping it for undo; undefined if the list has no such item. */
export async function removeItem(
  db: Db,
  listId: string,
  itemId: number,
  now = Date.now(),
): Promise<Removal | undefined> {
  if (runsOnPostgres(db)) {
    const undoToken = newSecretToken();
    const [removed] = await removeItemStatement(db, listId, itemId, hashToken(undoToken), now);
    return removed && { undoToken, count: 1, texts: [removed.text] };
  }
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .deleteFrom("items")
      .where("list_id", "=", listId)
      .where("id", "=", itemId)
      .returning(["id", "text", "done", "created_at"])
      .execute();
    return keepForUndo(trx, listId, rows, now);
  });
}

/** Removes every done item of the list, keeping them for undo; undefined if none was done. */
export async function clearCompleted(db: Db, listId: string, now = Date.now()): Promise<Removal | undefined> {
  const locksFirst = runsOnPostgres(db);
  return db.transaction().execute(async (trx) => {
    // The list's row first, in an add's order (see removeItemStatement).
    if (locksFirst) await trx.selectFrom("lists").select("id").where("id", "=", listId).forNoKeyUpdate().execute();
    const rows = await trx
      .deleteFrom("items")
      .where("list_id", "=", listId)
      .where("done", "=", true)
      .returning(["id", "text", "done", "created_at"])
      .execute();
    return keepForUndo(trx, listId, rows, now);
  });
}

/** Thrown inside the transaction to roll the restore back. */
class RestoreRefused extends Error {
  readonly result: "duplicate" | "full";
  constructor(result: "duplicate" | "full") {
    super(result);
    this.result = result;
  }
}

/**
 * Puts back what the removal that gave `undoToken` took off this list, all or nothing:
 * "expired" when the token is unknown, used, for another list or too old; "full" when
 * the list has no room left for them; "duplicate" when one of their texts is back on it.
 */
export async function restoreRemoved(
  db: Db,
  listId: string,
  undoToken: string,
  maxItems: number,
  now = Date.now(),
): Promise<Restored> {
  if (undoToken.length === 0 || undoToken.length > 100) return { result: "expired" };
  try {
    return await db.transaction().execute(async (trx): Promise<Restored> => {
      // Claimed by deleting them: of two undos racing, one finds nothing.
      const rows = await trx
        .deleteFrom("removed_items")
        .where("undo_hash", "=", hashToken(undoToken))
        .where("list_id", "=", listId)
        .where("removed_at", ">", now - UNDO_WINDOW_MS)
        .returning(["item_id", "text", "done", "created_at"])
        .execute();
      if (rows.length === 0) return { result: "expired" };
      const counted = await trx
        .updateTable("lists")
        .set((eb) => ({ item_count: eb("item_count", "+", rows.length) }))
        .where("id", "=", listId)
        .where("item_count", "<=", maxItems - rows.length)
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) === 0) throw new RestoreRefused("full");
      for (const chunk of chunks(rows)) {
        try {
          await trx
            .insertInto("items")
            .values(
              chunk.map((row) => ({
                id: row.item_id,
                list_id: listId,
                text: row.text,
                done: Boolean(row.done),
                created_at: row.created_at,
              })),
            )
            .execute();
        } catch (error) {
          if (isUniqueViolation(error)) throw new RestoreRefused("duplicate");
          throw error;
        }
      }
      return { result: "restored", count: rows.length };
    });
  } catch (error) {
    if (error instanceof RestoreRefused) return { result: error.result };
    throw error;
  }
}

/** Removals too old to undo. */
export async function purgeOldRemovedItems(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("removed_items")
    .where("removed_at", "<=", now - UNDO_WINDOW_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
