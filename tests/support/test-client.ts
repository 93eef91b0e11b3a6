// Drives the app in process like a browser: keeps cookies, submits forms with
// the CSRF token the pages carry, does not follow redirects.
import type { Hono } from "hono";
import type { AppEnv } from "../../src/web/app-env.ts";
import { CSRF_COOKIE, CSRF_FIELD } from "../../src/web/csrf.ts";

const BASE = "http://testserver";

export class TestClient {
  readonly cookies = new Map<string, string>();
  readonly #app: Hono<AppEnv>;
  readonly #sessionCookieName: string;

  constructor(app: Hono<AppEnv>, sessionCookieName: string) {
    this.#app = app;
    this.#sessionCookieName = sessionCookieName;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("Cookie")) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await this.#app.request(new URL(path, BASE).toString(), { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(separator + 1).trim());
    }
    return response;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Posts a form as a browser would, with the CSRF token (fetched first if needed). */
  async post(
    path: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<Response> {
    if (!this.cookies.has(CSRF_COOKIE)) await this.get("/");
    const body = new URLSearchParams({ [CSRF_FIELD]: this.cookies.get(CSRF_COOKIE) ?? "", ...fields });
    return this.request(path, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: BASE, ...headers },
    });
  }

  /** Logs in by setting a session key (as the functional tests' pre-authenticated session does). */
  useSession(key: string): void {
    this.cookies.set(this.#sessionCookieName, key);
  }
}
