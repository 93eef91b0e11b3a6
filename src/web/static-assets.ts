// The static files the pages use, loaded once at start-up and served from memory
// under fingerprinted URLs (cacheable forever) and their plain names (revalidated).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, extname, join } from "node:path";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { APP_ROOT } from "../app-root.ts";

const require = createRequire(import.meta.url);

const SOURCES: Record<string, string> = {
  "bootstrap.min.css": require.resolve("bootstrap/dist/css/bootstrap.min.css"),
  // Live list pages (docs/architecture.md, "Live lists"): Turbo's ES module build, as published.
  "turbo.js": require.resolve("@hotwired/turbo/dist/turbo.es2017-esm.js"),
  "site.css": join(APP_ROOT, "static", "site.css"),
  "lists.js": join(APP_ROOT, "static", "lists.js"),
  "favicon.svg": join(APP_ROOT, "static", "favicon.svg"),
};

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

export type Encoding = "br" | "gzip";

export type StaticAsset = {
  name: string;
  url: string;
  contentType: string;
  etag: string;
  body: NonSharedBuffer;
  encoded: (encoding: Encoding) => NonSharedBuffer;
};

function loadAsset(name: string, path: string): StaticAsset {
  const body = readFileSync(path);
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const extension = extname(name);
  const stem = basename(name, extension);
  // Compressed lazily, once: compressing Bootstrap at start-up would slow the first response.
  const cache = new Map<Encoding, NonSharedBuffer>();
  return {
    name,
    url: `/static/${stem}.${hash}${extension}`,
    contentType: CONTENT_TYPES[extension] ?? "application/octet-stream",
    etag: `"${hash}"`,
    body,
    encoded(encoding) {
      let compressed = cache.get(encoding);
      if (!compressed) {
        compressed =
          encoding === "br"
            ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } })
            : gzipSync(body, { level: 9 });
        cache.set(encoding, compressed);
      }
      return compressed;
    },
  };
}

export type StaticAssets = {
  /** The fingerprinted URL of a named asset, for templates. */
  url: (name: keyof typeof SOURCES) => string;
  /** The asset at a URL path below /static/ (fingerprinted or plain), if any. */
  lookup: (fileName: string) => { asset: StaticAsset; fingerprinted: boolean } | undefined;
};

export function loadStaticAssets(): StaticAssets {
  const byFileName = new Map<string, { asset: StaticAsset; fingerprinted: boolean }>();
  const byName = new Map<string, StaticAsset>();
  for (const [name, path] of Object.entries(SOURCES)) {
    const asset = loadAsset(name, path);
    byName.set(name, asset);
    byFileName.set(name, { asset, fingerprinted: false });
    byFileName.set(asset.url.slice("/static/".length), { asset, fingerprinted: true });
  }
  return {
    url: (name) => byName.get(name)?.url ?? `/static/${name}`,
    lookup: (fileName) => byFileName.get(fileName),
  };
}
