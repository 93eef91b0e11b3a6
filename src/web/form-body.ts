// Reads a POSTed HTML form once, for the CSRF check and the route: refuses other
// content types, bodies over the size limit, malformed bodies, file uploads and
// repeated fields with a 4xx.
import { finished } from "node:stream/promises";
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import type { AppEnv, FormFields, RequestStep } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";

const URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

/**
 * A refused body declared up to this size is read and thrown away before the 413 goes
 * out: answering first and closing while the body still arrives resets the connection,
 * and the client sees the reset, not the page.
 */
const DISCARD_REFUSED_BODY_BYTES = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

/**
 * Node's error when the client went away, or broke its chunked body, while the body
 * was being read: the client's doing, and nobody is left to see an answer.
 */
function isAbortedRequest(error: unknown): boolean {
  return (
    error instanceof Error && error.message === "aborted" && (error as NodeJS.ErrnoException).code === "ECONNRESET"
  );
}

/** Reads the rest of the request body and drops it; a client that goes away ends it too. */
async function discardBody(c: Context<AppEnv>): Promise<void> {
  const { incoming } = (c.env ?? {}) as Partial<HttpBindings>;
  if (!incoming) return;
  incoming.resume();
  await finished(incoming).catch(() => undefined);
}

/**
 * The body's bytes. A declared length is all there is to check (Node's parser holds the
 * client to it); a chunked body is counted as it arrives.
 */
async function bodyBytes(c: Context<AppEnv>, maxBytes: number): Promise<Uint8Array> {
  const declared = c.req.header("Content-Length");
  if (declared !== undefined && c.req.header("Transfer-Encoding") === undefined) {
    if (Number(declared) > maxBytes) throw new BodyTooLarge();
    return new Uint8Array(await c.req.arrayBuffer());
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of c.req.raw.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function parsedFields(contentType: string, raw: string, body: Uint8Array) {
  if (contentType === URLENCODED) return [...new URLSearchParams(new TextDecoder().decode(body))];
  const form = await new Response(body as BodyInit, { headers: { "Content-Type": raw } }).formData();
  return [...form];
}

export function readForm(maxBytes: number, errorPage: ErrorPage): RequestStep {
  return async (c) => {
    if (c.req.method !== "POST") return undefined;
    const raw = c.req.header("Content-Type") ?? "";
    const contentType = raw.split(";")[0]?.trim().toLowerCase() ?? "";
    if (contentType !== URLENCODED && contentType !== MULTIPART) {
      return errorPage(c, 415, "Please submit the form from the page (form data expected).");
    }
    let entries: [string, FormDataEntryValue][];
    try {
      entries = await parsedFields(contentType, raw, await bodyBytes(c, maxBytes));
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) {
        if (isAbortedRequest(error)) c.get("logger")().info("request aborted by the client while sending its body");
        return errorPage(c, 400, "The form data could not be read. Please submit the form again.");
      }
      if (Number(c.req.header("Content-Length") ?? Number.POSITIVE_INFINITY) <= DISCARD_REFUSED_BODY_BYTES) {
        await discardBody(c);
      }
      return errorPage(c, 413, `The form is too large (at most ${maxBytes / 1024} KB).`);
    }
    // No prototype: a field named "__proto__" or "constructor" is just a field.
    const fields: FormFields = Object.create(null);
    for (const [name, value] of entries) {
      if (Object.hasOwn(fields, name)) return errorPage(c, 400, `The field "${name}" was sent more than once.`);
      if (typeof value !== "string") return errorPage(c, 400, `The field "${name}" must be text.`);
      fields[name] = value;
    }
    c.set("form", fields);
    return undefined;
  };
}
