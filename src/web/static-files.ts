// Answers requests for the in-memory static assets: immutable caching for fingerprinted
// URLs, ETag revalidation for plain names, brotli or gzip when the client accepts it.
import type { Context } from "hono";
import { accepts } from "hono/accepts";
import type { AppEnv, RequestStep } from "./app-env.ts";
import type { ErrorPage } from "./error-pages.ts";
import type { Encoding, StaticAssets } from "./static-assets.ts";

const PREFIX = "/static/";
/** Best first: brotli makes Bootstrap's CSS far smaller than gzip does. */
const ENCODINGS: Encoding[] = ["br", "gzip"];

/** The best encoding the client accepts (q > 0, by name or by "*"), whatever order it lists them in. */
function preferredEncoding(c: Context<AppEnv>): Encoding | undefined {
  const chosen = accepts(c, {
    header: "Accept-Encoding",
    supports: ENCODINGS,
    default: "identity",
    match: (accepted, { supports, default: none }) => {
      const quality = (encoding: string) =>
        (
          accepted.find((entry) => entry.type.toLowerCase() === encoding) ??
          accepted.find((entry) => entry.type === "*")
        )?.q ?? 0;
      return supports.find((encoding) => quality(encoding) > 0) ?? none;
    },
  });
  return ENCODINGS.find((encoding) => encoding === chosen);
}

export function staticFiles(assets: StaticAssets, errorPage: ErrorPage): RequestStep {
  return (c) => {
    const path = c.req.path;
    if (!path.startsWith(PREFIX) || (c.req.method !== "GET" && c.req.method !== "HEAD")) return undefined;
    const found = assets.lookup(path.slice(PREFIX.length));
    if (!found) return errorPage(c, 404, "There is no file at this address.");
    const { asset, fingerprinted } = found;
    const headers = {
      "Content-Type": asset.contentType,
      ETag: asset.etag,
      Vary: "Accept-Encoding",
      "Cache-Control": fingerprinted ? "public, max-age=31536000, immutable" : "public, max-age=3600",
    };
    if (c.req.header("If-None-Match") === asset.etag) return c.body(null, 304, headers);
    const encoding = preferredEncoding(c);
    // The cached bytes themselves, never copied: Bootstrap's CSS is large.
    if (!encoding) return c.body(asset.body, 200, headers);
    return c.body(asset.encoded(encoding), 200, { ...headers, "Content-Encoding": encoding });
  };
}
