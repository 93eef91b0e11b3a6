// Which encoding a static file is served in, for the Accept-Encoding headers browsers,
// proxies and tools send. The rule (src/web/static-files.ts): the server's own order
// (br, then gzip) picks among the encodings the client accepts with q > 0, named or by
// "*"; a name listed explicitly overrides "*"; otherwise the file goes out as it is.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let testApp: TestApp;
let cssUrl: string;
let identityBody: Buffer;

beforeAll(async () => {
  testApp = await createTestApp();
  const page = await (await testApp.client().get("/")).text();
  const url = page.match(/href="(\/static\/bootstrap\.min\.[0-9a-f]+\.css)"/)?.[1];
  if (!url) throw new Error("no fingerprinted Bootstrap URL on the home page");
  cssUrl = url;
  const plain = await testApp.client().get(cssUrl);
  identityBody = Buffer.from(await plain.arrayBuffer());
});
afterAll(() => testApp.close());

const DECODE = { br: brotliDecompressSync, gzip: gunzipSync, none: (body: Buffer) => body };

describe("Accept-Encoding on the fingerprinted Bootstrap CSS", () => {
  test.each([
    ["br;q=0, gzip", "gzip"],
    ["br;q=0, gzip;q=0", "none"],
    ["gzip, deflate, br", "br"],
    ["*", "br"],
    ["identity", "none"],
    ["br;q=0.5, gzip;q=1", "br"],
    ["gzip", "gzip"],
    ["GZIP", "gzip"],
    ["br;q=0.001", "br"],
    ["deflate", "none"],
    ["*;q=0", "none"],
    ["*, br;q=0", "gzip"],
    ["gzip;q=0, *", "br"],
    ["", "none"],
  ] as const)("%j → %s", async (acceptEncoding, expected) => {
    const response = await testApp.client().get(cssUrl, { "Accept-Encoding": acceptEncoding });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Encoding")).toBe(expected === "none" ? null : expected);
    expect(response.headers.get("Vary")).toBe("Accept-Encoding");
    expect(response.headers.get("Content-Type")).toContain("text/css");
    // The bytes are really in that encoding: decoded, they are the file itself.
    const body = Buffer.from(await response.arrayBuffer());
    expect(DECODE[expected](body).equals(identityBody)).toBe(true);
  });

  test("without an Accept-Encoding header the file goes out as it is", async () => {
    const response = await testApp.client().get(cssUrl);
    expect(response.headers.get("Content-Encoding")).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).equals(identityBody)).toBe(true);
    expect(identityBody.toString("utf8")).toContain("Bootstrap");
  });
});
