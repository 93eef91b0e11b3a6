// Browser-like clients for a real server: over fetch (cookies kept, forms posted
// with the CSRF token, redirects not followed), and over a raw socket for
// requests fetch refuses to send.
import { connect } from "node:net";
import { CSRF_COOKIE, CSRF_FIELD } from "../../../src/web/csrf.ts";

export class HttpClient {
  readonly cookies = new Map<string, string>();
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("Cookie")) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(separator + 1).trim());
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Fetches a page first if there is no CSRF cookie yet, then posts the form with the token. */
  async post(path: string, fields: Record<string, string> = {}): Promise<Response> {
    if (!this.cookies.has(CSRF_COOKIE)) await (await this.get("/")).arrayBuffer();
    return this.request(path, {
      method: "POST",
      body: new URLSearchParams({ [CSRF_FIELD]: this.cookies.get(CSRF_COOKIE) ?? "", ...fields }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.baseUrl },
    });
  }
}

const RAW_TIMEOUT_MS = 15_000;

/**
 * Sends raw bytes on a fresh connection without half-closing it (Node's server drops
 * half-closed connections); resolves with everything received until the server closes
 * it, so requests should say `Connection: close`.
 */
export function rawRequest(baseUrl: string, bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.setTimeout(RAW_TIMEOUT_MS, () =>
      socket.destroy(new Error("no complete answer: the server kept the connection open")),
    );
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
  });
}

/** The status code of the first response in raw HTTP output, or undefined when there was none. */
export function rawStatus(response: string): number | undefined {
  const status = response.match(/^HTTP\/1\.[01] (\d{3})/)?.[1];
  return status === undefined ? undefined : Number(status);
}
