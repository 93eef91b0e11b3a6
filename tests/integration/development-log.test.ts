// What a developer reads in the terminal of `npm run dev`: where to open the app, then
// one short line per request, and every other line with its details.
import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";
import { developmentLog } from "../../src/runtime/development-log.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

// Colours and the time of day are pino-pretty's; the text is what is checked.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const TIME = /^\[\d\d:\d\d:\d\d\] /;

let testApp: TestApp;
let written: string[] = [];
const logger = pino({ level: "info" }, developmentLog({ write: (text: string) => written.push(text) }));
const printed = () => written.join("").replace(ANSI_COLOUR, "").split("\n").filter(Boolean);

beforeAll(async () => {
  testApp = await createTestApp({}, { logger });
});
afterAll(() => testApp.close());

test("the server's start says where to open the app", () => {
  written = [];
  logger.info({ url: "http://127.0.0.1:8000", database: "sqlite" }, "listening");
  expect(printed()).toEqual([expect.stringMatching(TIME)]);
  expect(printed()[0]?.replace(TIME, "")).toBe(
    "INFO: Superlists is running at http://127.0.0.1:8000/ — Ctrl-C to stop",
  );
});

test("each request is one short line: method, path, status, duration", async () => {
  const client = testApp.client();
  written = [];
  await client.get("/");
  await client.get("/lists/0123456789abcdef0123456789abcdef/");
  expect(printed().map((line) => line.replace(TIME, ""))).toEqual([
    expect.stringMatching(/^INFO: GET \/ 200 (<1|\d+) ms$/),
    expect.stringMatching(/^INFO: GET \/lists\/0123456789abcdef0123456789abcdef\/ 404 (<1|\d+) ms$/),
  ]);
});

test("other lines keep their details", () => {
  written = [];
  logger.warn({ applied: ["001-initial"] }, "migrations applied");
  expect(printed().map((line) => line.replace(TIME, ""))).toEqual([
    "WARN: migrations applied",
    "    applied: [",
    '      "001-initial"',
    "    ]",
  ]);
});
