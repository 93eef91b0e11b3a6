// Every query about lists, items and shares. Each function is one or two
// statements whatever the data size, so pages make a constant number of queries.
import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import { runsOnPostgres } from "../db/database.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { preparedQuery } from "../db/prepared-query.ts";
import type { Schema } from "../db/schema.ts";
import { newListId } from "./list-id.ts";
import { listDisplayName } from "./list-name.ts";

type Db = Kysely<Schema>;

/**
 * `itemCount` is the count kept beside the items (MAX_ITEMS_PER_LIST); `sharees` are the
 * addresses the list is shared with, in the order it was shared. Both are read with the list.
 */
export type ListRecord = {
  id: string;
  ownerEmail: string | null;
  name: string | null;
  itemCount: number;
  sharees: string[];
};
export type Item = { id: number; text: string; done: boolean };
/** `more` is true when the list holds more items than were read. */
export type ListWithItems = { list: ListRecord; items: Item[]; more: boolean };
export type ListSummary = { id: string; name: string; ownerEmail: string | null; itemCount: number };
/** A page of summaries; `more` is true when another page follows. */
export type ListSummaries = { lists: ListSummary[]; more: boolean };

export async function createList(db: Db, ownerEmail: string | null, firstItem: string): Promise<string> {
  const id = newListId();
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("lists").values({ id, owner_email: ownerEmail, item_count: 1, created_at: now }).execute();
    await trx.insertInto("items").values({ list_id: id, text: firstItem, created_at: now }).execute();
  });
  return id;
}

/** Thrown inside the transaction to undo the count when the insert was a duplicate. */
class DuplicateItem extends Error {}

/** What became of an add: "gone" when the list no longer exists (deleted meanwhile). */
export type AddResult = "added" | "duplicate" | "full" | "gone";

// PostgreSQL: the whole add is one statement, one round trip. `list` locks the list's row
// (waiting for a deletion or another add of the list in flight, and then reading the row
// as they left it, or nothing if it is gone); `counted` raises the kept count only while
// below the limit; `added` inserts only if the count went up. The row lock orders adds to
// one list, so their ids follow their commits; a duplicate fails the unique index and the
// whole statement with it, count included. SQLite has no data-modifying CTEs, so there
// the same steps are a transaction (sqliteAddItem); its statements cost no round trip.
const addItemStatement = preparedQuery((db, listId: string, maxItems: number, text: string, createdAt: number) =>
  db
    .with("list", (qb) => qb.selectFrom("lists").select("id").where("id", "=", listId).forNoKeyUpdate())
    .with("counted", (qb) =>
      qb
        .updateTable("lists")
        .from("list")
        .set((eb) => ({ item_count: eb("lists.item_count", "+", 1) }))
        .whereRef("lists.id", "=", "list.id")
        .where("lists.item_count", "<", maxItems)
        .returning("lists.id"),
    )
    .with("added", (qb) =>
      qb
        .insertInto("items")
        .columns(["list_id", "text", "created_at"])
        .expression((eb) =>
          eb
            .selectFrom("counted")
            .select([
              "counted.id",
              eb.cast<string>(eb.val(text), "text").as("text"),
              eb.cast<number>(eb.val(createdAt), "bigint").as("created_at"),
            ]),
        )
        .returning("items.id"),
    )
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom("list").select("list.id")).as("found"),
      eb.exists(eb.selectFrom("added").select("added.id")).as("added"),
    ]),
);

async function sqliteAddItem(db: Db, listId: string, text: string, maxItems: number): Promise<AddResult> {
  return await db.transaction().execute(async (trx) => {
    const counted = await trx
      .updateTable("lists")
      .set((eb) => ({ item_count: eb("item_count", "+", 1) }))
      .where("id", "=", listId)
      .where("item_count", "<", maxItems)
      .returning("id")
      .executeTakeFirst();
    if (!counted) {
      const list = await trx.selectFrom("lists").select("id").where("id", "=", listId).executeTakeFirst();
      return list ? "full" : "gone";
    }
    try {
      await trx.insertInto("items").values({ list_id: listId, text, created_at: Date.now() }).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateItem();
      throw error;
    }
    return "added";
  });
}

/**
 * Adds an item unless the list already holds `maxItems`. The list's count goes up only
 * while below the limit, atomically with the insert, so racing adds cannot pass it; the
 * unique index makes a duplicate fail even when two requests race.
 */
export async function addItem(db: Db, listId: string, text: string, maxItems: number): Promise<AddResult> {
  try {
    if (!runsOnPostgres(db)) return await sqliteAddItem(db, listId, text, maxItems);
    const [result] = await addItemStatement(db, listId, maxItems, text, Date.now());
    return result?.added ? "added" : result?.found ? "full" : "gone";
  } catch (error) {
    if (error instanceof DuplicateItem || isUniqueViolation(error)) return "duplicate";
    throw error;
  }
}

/**
 * The list's sharees in one column, space-separated (an address holds no spaces), so that
 * the statement that reads the list reads them too: one round trip instead of two. The
 * list's id is a parameter, not a reference to the outer row, so the database computes
 * it once per statement rather than once per item row.
 */
function shareesColumn(eb: ExpressionBuilder<Schema, "lists">, listId: string) {
  return eb
    .selectFrom("list_shares")
    .select((shares) =>
      shares.fn
        .agg<string>("string_agg", ["list_shares.email", sql.lit(" ")])
        .orderBy("list_shares.created_at")
        .orderBy("list_shares.email")
        .as("emails"),
    )
    .where("list_shares.list_id", "=", listId)
    .as("sharees");
}

type ListRow = {
  id: string;
  owner_email: string | null;
  name: string | null;
  item_count: number;
  sharees: string | null;
};

function listRecord(row: ListRow): ListRecord {
  return {
    id: row.id,
    ownerEmail: row.owner_email,
    name: row.name,
    itemCount: row.item_count,
    sharees: row.sharees === null ? [] : row.sharees.split(" "),
  };
}

// The queries of every list page and every add-item POST are prepared once.
const selectList = preparedQuery((db, id: string) =>
  db
    .selectFrom("lists")
    .select((eb) => ["id", "owner_email", "name", "item_count", shareesColumn(eb, id)])
    .where("id", "=", id),
);

// A list page reads the list and its items together: every statement is a read
// transaction of its own, with its file locks (docs/performance.md, "Where the targets stand").
const selectListWithItems = preparedQuery((db, id: string, limit: number) =>
  db
    .selectFrom("lists")
    .leftJoin("items", "items.list_id", "lists.id")
    .select((eb) => [
      "lists.id",
      "lists.owner_email",
      "lists.name",
      "lists.item_count",
      shareesColumn(eb, id),
      "items.id as item_id",
      "items.text",
      "items.done",
    ])
    .where("lists.id", "=", id)
    .orderBy("items.id")
    .limit(limit),
);
export async function findList(db: Db, id: string): Promise<ListRecord | undefined> {
  const [row] = await selectList(db, id);
  return row && listRecord(row);
}

/** The list, its sharees and its first `maxItems` items in order, in one statement. */
export async function findListWithItems(db: Db, id: string, maxItems: number): Promise<ListWithItems | undefined> {
  const rows = await selectListWithItems(db, id, maxItems + 1);
  const [first] = rows;
  if (!first) return undefined;
  // A list without items comes back as one row whose item columns are null.
  const items = rows.flatMap((row) =>
    row.item_id === null || row.text === null ? [] : [{ id: row.item_id, text: row.text, done: Boolean(row.done) }],
  );
  return {
    list: listRecord(first),
    items: items.slice(0, maxItems),
    more: items.length > maxItems,
  };
}

/** Every item of the list in order, unbounded: for tests and tools, never for pages. */
export async function listItemRecords(db: Db, listId: string): Promise<Item[]> {
  const rows = await db
    .selectFrom("items")
    .select(["id", "text", "done"])
    .where("list_id", "=", listId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ id: row.id, text: row.text, done: Boolean(row.done) }));
}

/** The texts of every item of the list in order (tests and tools). */
export async function listItems(db: Db, listId: string): Promise<string[]> {
  return (await listItemRecords(db, listId)).map((item) => item.text);
}

export async function findItem(db: Db, listId: string, itemId: number): Promise<Item | undefined> {
  const row = await db
    .selectFrom("items")
    .select(["id", "text", "done"])
    .where("list_id", "=", listId)
    .where("id", "=", itemId)
    .executeTakeFirst();
  return row && { id: row.id, text: row.text, done: Boolean(row.done) };
}

const setItemDoneStatement = preparedQuery((db, listId: string, itemId: number, done: boolean) =>
  db.updateTable("items").set({ done }).where("list_id", "=", listId).where("id", "=", itemId).returning("id"),
);

/** False if the list holds no such item (never did, or it was deleted meanwhile). */
export async function setItemDone(db: Db, listId: string, itemId: number, done: boolean): Promise<boolean> {
  return (await setItemDoneStatement(db, listId, itemId, done)).length > 0;
}

const editItemStatement = preparedQuery((db, listId: string, itemId: number, text: string) =>
  db.updateTable("items").set({ text }).where("list_id", "=", listId).where("id", "=", itemId).returning("id"),
);

/** Changes an item's text; the unique index refuses a text another item of the list has. */
export async function editItem(
  db: Db,
  listId: string,
  itemId: number,
  text: string,
): Promise<"edited" | "duplicate" | "gone"> {
  try {
    return (await editItemStatement(db, listId, itemId, text)).length > 0 ? "edited" : "gone";
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
}

export async function renameList(db: Db, listId: string, name: string): Promise<void> {
  await db.updateTable("lists").set({ name }).where("id", "=", listId).execute();
}

/**
 * Deletes the list; its items and shares go with it (the foreign keys cascade). False if
 * it was already gone: of several deletions racing, only one did it.
 */
export async function deleteList(db: Db, listId: string): Promise<boolean> {
  const result = await db.deleteFrom("lists").where("id", "=", listId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Takes a sharee off the list; true if they were on it. */
export async function unshareList(db: Db, listId: string, email: string): Promise<boolean> {
  const result = await db
    .deleteFrom("list_shares")
    .where("list_id", "=", listId)
    .where("email", "=", email)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every address the list is shared with, in the order it was shared (tests and tools). */
export async function listSharees(db: Db, listId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("list_shares")
    .select("email")
    .where("list_id", "=", listId)
    .orderBy("created_at")
    .orderBy("email")
    .execute();
  return rows.map((row) => row.email);
}

/** Shares a list; sharing twice with the same address is a no-op. True if it was not shared with them yet. */
export async function shareList(db: Db, listId: string, email: string): Promise<boolean> {
  // The sharees are read back space-separated (shareesColumn): an address with a space
  // would read back as two people, the second let in. normalizeEmail never makes one.
  if (/\s/.test(email)) throw new Error(`a sharee's address holds no whitespace: ${JSON.stringify(email)}`);
  const result = await db
    .insertInto("list_shares")
    .values({ list_id: listId, email, created_at: Date.now() })
    .onConflict((conflict) => conflict.columns(["list_id", "email"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

function summaries(db: Db) {
  return db
    .selectFrom("lists")
    .select((eb) => [
      "lists.id",
      "lists.owner_email",
      "lists.name",
      "lists.item_count",
      eb
        .selectFrom("items")
        .select("items.text")
        .whereRef("items.list_id", "=", "lists.id")
        .orderBy("items.id")
        .limit(1)
        .as("first_item"),
    ]);
}

type SummaryRow = {
  id: string;
  owner_email: string | null;
  name: string | null;
  item_count: number;
  first_item: string | null;
};

/** Page `page` (from 1) of `pageSize` rows: one more is read to know whether another page follows. */
function toSummaries(rows: SummaryRow[], pageSize: number): ListSummaries {
  const lists = rows.slice(0, pageSize).map((row) => ({
    id: row.id,
    name: listDisplayName(row.name, row.first_item),
    ownerEmail: row.owner_email,
    itemCount: Number(row.item_count),
  }));
  return { lists, more: rows.length > pageSize };
}

export type PageRequest = { page: number; pageSize: number };

export async function listsOwnedBy(db: Db, email: string, { page, pageSize }: PageRequest): Promise<ListSummaries> {
  const rows = await summaries(db)
    .where("lists.owner_email", "=", email)
    .orderBy("lists.created_at")
    .orderBy("lists.id")
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  return toSummaries(rows, pageSize);
}

export async function listsSharedWith(db: Db, email: string, { page, pageSize }: PageRequest): Promise<ListSummaries> {
  const rows = await summaries(db)
    .innerJoin("list_shares", "list_shares.list_id", "lists.id")
    .where("list_shares.email", "=", email)
    .orderBy("list_shares.created_at")
    .orderBy("lists.id")
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  return toSummaries(rows, pageSize);
}

/** How many of the list's items are done (for a list holding more than its page shows). */
export async function countDoneItems(db: Db, listId: string): Promise<number> {
  const row = await db
    .selectFrom("items")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("list_id", "=", listId)
    .where("done", "=", true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
