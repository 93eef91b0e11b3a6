// Item ids in URLs are the database's integer ids, always looked up together with
// the list id (whose access is checked first), so knowing one tells nothing about
// other lists. Anything but a positive 32-bit integer is no item: PostgreSQL would
// refuse a larger value with an error, not an empty result.
const ITEM_ID_SHAPE = /^[1-9][0-9]{0,9}$/;
const MAX_ITEM_ID = 2 ** 31 - 1;

export function parseItemId(value: string | undefined): number | undefined {
  if (value === undefined || !ITEM_ID_SHAPE.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ITEM_ID ? id : undefined;
}
