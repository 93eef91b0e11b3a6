// Every query about lists, items and shares. Each function is one or two
// statements whatever the data size, so pages make a constant number of queries.
import type { Kysely } from "kysely";
import { isUniqueViolation } from "../db/errors.ts";
import { preparedQuery } from "../db/prepared-query.ts";
import type { Schema } from "../db/schema.ts";
import { newListId } from "./list-id.ts";

type Db = Kysely<Schema>;

export type ListRecord = { id: string; ownerEmail: string | null };
export type ListWithItems = { list: ListRecord; items: string[] };
export type ListSummary = { id: string; name: string; ownerEmail: string | null };

export async function createList(db: Db, ownerEmail: string | null, firstItem: string): Promise<string> {
  const id = newListId();
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("lists").values({ id, owner_email: ownerEmail, created_at: now }).execute();
    await trx.insertInto("items").values({ list_id: id, text: firstItem, created_at: now }).execute();
  });
  return id;
}

const insertItem = preparedQuery((db, listId: string, text: string, createdAt: number) =>
  db.insertInto("items").values({ list_id: listId, text, created_at: createdAt }),
);

/** Adds an item; the unique index makes a duplicate fail even when two requests race. */
export async function addItem(db: Db, listId: string, text: string): Promise<"added" | "duplicate"> {
  try {
    await insertItem(db, listId, text, Date.now());
    return "added";
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
}

// The queries of every list page and every add-item POST are prepared once.
const selectList = preparedQuery((db, id: string) =>
  db.selectFrom("lists").select(["id", "owner_email"]).where("id", "=", id),
);
const selectItems = preparedQuery((db, listId: string) =>
  db.selectFrom("items").select("text").where("list_id", "=", listId).orderBy("id"),
);
// A list page reads the list and its items together: every statement is a read
// transaction of its own, with its file locks (docs/performance.md, change 22).
const selectListWithItems = preparedQuery((db, id: string) =>
  db
    .selectFrom("lists")
    .leftJoin("items", "items.list_id", "lists.id")
    .select(["lists.id", "lists.owner_email", "items.text"])
    .where("lists.id", "=", id)
    .orderBy("items.id"),
);
const selectSharees = preparedQuery((db, listId: string) =>
  db.selectFrom("list_shares").select("email").where("list_id", "=", listId).orderBy("created_at").orderBy("email"),
);

export async function findList(db: Db, id: string): Promise<ListRecord | undefined> {
  const [row] = await selectList(db, id);
  return row && { id: row.id, ownerEmail: row.owner_email };
}

/** The list and the texts of its items in order, in one statement. */
export async function findListWithItems(db: Db, id: string): Promise<ListWithItems | undefined> {
  const rows = await selectListWithItems(db, id);
  const [first] = rows;
  if (!first) return undefined;
  // A list without items comes back as one row whose item columns are null.
  const items = rows.flatMap((row) => (row.text === null ? [] : [row.text]));
  return { list: { id: first.id, ownerEmail: first.owner_email }, items };
}

export async function listItems(db: Db, listId: string): Promise<string[]> {
  return (await selectItems(db, listId)).map((row) => row.text);
}

export async function listSharees(db: Db, listId: string): Promise<string[]> {
  return (await selectSharees(db, listId)).map((row) => row.email);
}

/** Shares a list; sharing twice with the same address is a no-op. */
export async function shareList(db: Db, listId: string, email: string): Promise<void> {
  await db
    .insertInto("list_shares")
    .values({ list_id: listId, email, created_at: Date.now() })
    .onConflict((conflict) => conflict.columns(["list_id", "email"]).doNothing())
    .execute();
}

function summaries(db: Db) {
  return db
    .selectFrom("lists")
    .select((eb) => [
      "lists.id",
      "lists.owner_email",
      eb
        .selectFrom("items")
        .select("items.text")
        .whereRef("items.list_id", "=", "lists.id")
        .orderBy("items.id")
        .limit(1)
        .as("name"),
    ]);
}

function toSummary(row: { id: string; owner_email: string | null; name: string | null }): ListSummary {
  return { id: row.id, name: row.name ?? "", ownerEmail: row.owner_email };
}

export async function listsOwnedBy(db: Db, email: string): Promise<ListSummary[]> {
  const rows = await summaries(db).where("lists.owner_email", "=", email).orderBy("lists.created_at").execute();
  return rows.map(toSummary);
}

export async function listsSharedWith(db: Db, email: string): Promise<ListSummary[]> {
  const rows = await summaries(db)
    .innerJoin("list_shares", "list_shares.list_id", "lists.id")
    .where("list_shares.email", "=", email)
    .orderBy("list_shares.created_at")
    .execute();
  return rows.map(toSummary);
}
