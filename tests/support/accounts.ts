// Shared steps and readers for tests of logging in and of what logged-in users see.
import { createSession } from "../../src/accounts/sessions.ts";
import type { TestApp } from "./test-app.ts";
import type { TestClient } from "./test-client.ts";

/** The text of an HTML fragment the way a browser shows it (for the few entities the app emits). */
export function htmlText(fragment: string): string {
  return fragment
    .replaceAll("&#39;", "'")
    .replaceAll("&#34;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** The login link: by contract, the last line of the email's body. */
export function loginLinkIn(body: string): string {
  return body.trimEnd().split(/\r?\n/).at(-1) ?? "";
}

/** Who the navbar says is logged in, or undefined when it offers the login form. */
export function loggedInAs(page: string): string | undefined {
  return page.match(/Logged in as ([^<\s]+)/)?.[1];
}

/** A client holding a session for `email`, as `superlists create-session` would give. */
export async function loggedInClient(testApp: TestApp, email: string): Promise<TestClient> {
  const client = testApp.client();
  client.useSession(await createSession(testApp.database.db, email, testApp.config.sessionMaxAgeSeconds));
  return client;
}
