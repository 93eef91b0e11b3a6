// Lists created anonymously in this browser, remembered so that they become the user's
// own when they log in here. Kept in a signed cookie (ids of the most recent lists):
// nothing to store server-side, and no one can claim an ownerless list whose URL they
// merely know by writing its id into their own cookie.
import type { Context } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Config } from "../config.ts";
import { isListId } from "../lists/list-id.ts";
import type { AppEnv } from "../web/app-env.ts";
import { cookieOptions, cookieSigningKey } from "../web/cookies.ts";

export const ANONYMOUS_LISTS_COOKIE = "anonymous_lists";
/** Bounds the cookie (about 700 bytes): older lists are forgotten first. */
export const MAX_REMEMBERED_LISTS = 20;
const COOKIE_MAX_AGE = 30 * 86400;

type SigningConfig = Pick<Config, "secretKey">;

const signingKey = (config: SigningConfig) => cookieSigningKey(config.secretKey, ANONYMOUS_LISTS_COOKIE);

/** The remembered list ids, or none if the cookie is missing or was tampered with. */
async function rememberedListIds(c: Context<AppEnv>, config: SigningConfig): Promise<string[]> {
  if (getCookie(c, ANONYMOUS_LISTS_COOKIE) === undefined) return [];
  const ids = await getSignedCookie(c, signingKey(config), ANONYMOUS_LISTS_COOKIE);
  return ids ? ids.split("-").filter(isListId) : [];
}

/** Remembers a list just created by an anonymous user in this browser. */
export async function rememberAnonymousList(c: Context<AppEnv>, config: SigningConfig, listId: string): Promise<void> {
  const ids = [...(await rememberedListIds(c, config)), listId].slice(-MAX_REMEMBERED_LISTS).join("-");
  await setSignedCookie(c, ANONYMOUS_LISTS_COOKIE, ids, signingKey(config), cookieOptions(c, COOKIE_MAX_AGE));
}

/** The lists this browser created anonymously; the browser forgets them (they are about to be adopted). */
export async function takeAnonymousLists(c: Context<AppEnv>, config: SigningConfig): Promise<string[]> {
  const ids = await rememberedListIds(c, config);
  if (getCookie(c, ANONYMOUS_LISTS_COOKIE) !== undefined) deleteCookie(c, ANONYMOUS_LISTS_COOKIE, cookieOptions(c));
  return ids;
}
