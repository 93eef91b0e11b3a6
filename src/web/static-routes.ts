// Serves the in-memory static assets: immutable caching for fingerprinted URLs,
// ETag revalidation for plain names, gzip/brotli when the client accepts it.
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { respond } from "./response-headers.ts";
import type { Encoding, StaticAssets } from "./static-assets.ts";

function preferredEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = acceptEncoding.toLowerCase();
  if (/\bbr\b/.test(accepted)) return "br";
  if (/\bgzip\b/.test(accepted)) return "gzip";
  return undefined;
}

export function staticRoutes(assets: StaticAssets): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:file", (c) => {
    const found = assets.lookup(c.req.param("file"));
    if (!found) return c.notFound();
    const { asset, fingerprinted } = found;
    const headers = {
      "Content-Type": asset.contentType,
      ETag: asset.etag,
      Vary: "Accept-Encoding",
      "Cache-Control": fingerprinted ? "public, max-age=31536000, immutable" : "public, max-age=3600",
    };
    if (c.req.header("If-None-Match") === asset.etag) return respond(c, null, 304, headers);
    const encoding = preferredEncoding(c.req.header("Accept-Encoding"));
    // The cached bytes themselves, never modified: copying Bootstrap (230 KB) for every
    // response cost a third of its throughput and tens of MB of memory under load.
    if (!encoding) return respond(c, asset.body, 200, headers);
    return respond(c, asset.encoded(encoding), 200, { ...headers, "Content-Encoding": encoding });
  });
  return routes;
}
