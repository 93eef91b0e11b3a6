// Lists created anonymously in this browser, remembered so that they become the user's
// own when they log in here. Kept in a signed cookie (ids of the most recent lists):
// nothing to store server-side, and no one can claim an ownerless list whose URL they
// merely know by writing its id into their own cookie.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { Config } from "../config.ts";
import { isListId } from "../lists/list-id.ts";
import type { AppEnv } from "../web/app-env.ts";
import { deleteCookie, setCookie } from "../web/response-headers.ts";

export const ANONYMOUS_LISTS_COOKIE = "anonymous_lists";
/** Bounds the cookie (about 700 bytes): older lists are forgotten first. */
export const MAX_REMEMBERED_LISTS = 20;
const COOKIE_MAX_AGE = 30 * 86400;

type SigningConfig = Pick<Config, "secretKey">;

function signature(ids: string, secretKey: string): string {
  // The purpose is part of the signed text: no other signed value of the app can pass as this one.
  return createHmac("sha256", secretKey).update(`anonymous-lists:${ids}`).digest("base64url");
}

/** The remembered list ids, or none if the cookie is missing or was tampered with. */
function rememberedListIds(c: Context<AppEnv>, secretKey: string): string[] {
  const value = getCookie(c, ANONYMOUS_LISTS_COOKIE);
  const dot = value?.lastIndexOf(".") ?? -1;
  if (value === undefined || dot === -1) return [];
  const ids = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signature(ids, secretKey));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
  return ids.split("-").filter(isListId);
}

/** Remembers a list just created by an anonymous user in this browser. */
export function rememberAnonymousList(c: Context<AppEnv>, config: SigningConfig, listId: string): void {
  const ids = [...rememberedListIds(c, config.secretKey), listId].slice(-MAX_REMEMBERED_LISTS).join("-");
  setCookie(c, ANONYMOUS_LISTS_COOKIE, `${ids}.${signature(ids, config.secretKey)}`, { maxAge: COOKIE_MAX_AGE });
}

/** The lists this browser created anonymously; the browser forgets them (they are about to be adopted). */
export function takeAnonymousLists(c: Context<AppEnv>, config: SigningConfig): string[] {
  const ids = rememberedListIds(c, config.secretKey);
  if (getCookie(c, ANONYMOUS_LISTS_COOKIE) !== undefined) {
    deleteCookie(c, ANONYMOUS_LISTS_COOKIE);
  }
  return ids;
}
