// A form post as a cross-site attacker would make it through the victim's browser:
// the victim's cookies go along, but the CSRF field holds what the attacker chose.
import { CSRF_FIELD } from "../../src/web/csrf.ts";
import type { TestClient } from "./test-client.ts";

/** Posts `fields` from `client` with `csrf` as the CSRF field (none if undefined) and any extra headers. */
export function forge(
  client: TestClient,
  path: string,
  fields: Record<string, string>,
  csrf: string | undefined,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams(csrf === undefined ? fields : { [CSRF_FIELD]: csrf, ...fields });
  return client.request(path, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}
