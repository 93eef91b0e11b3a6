import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { CHECK_EMAIL_MESSAGE, SEND_FAILED_MESSAGE } from "../../src/accounts/account-routes.ts";
import { LOGIN_EMAIL_SUBJECT } from "../../src/accounts/login-email.ts";
import { loadConfig } from "../../src/config.ts";
import { capturingMailer, consoleMailer, createMailer, memoryMailer } from "../../src/email/mailers.ts";
import type { Mailer } from "../../src/email/message.ts";
import { htmlText, loggedInAs, loginLinkIn } from "../support/accounts.ts";
import { capturedLogs } from "../support/captured-logs.ts";
import { flashAlert } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import type { TestClient } from "../support/test-client.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "superlists-emails-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The app with the mailer its configuration asks for (as the server builds it). */
async function appWithBackend(env: Record<string, string>, mailer?: Mailer) {
  const { logger, lines } = capturedLogs();
  const built = mailer ?? createMailer(loadConfig({ SUPERLISTS_ENV: "test", ...env }).email, logger);
  const app = await createTestApp(env, { mailer: built, logger });
  return { app, logs: lines };
}

/** One browser per app: the links it asks for log it in when it opens them. */
const browsers = new WeakMap<TestApp, TestClient>();
function browser(app: TestApp): TestClient {
  const found = browsers.get(app) ?? app.client();
  browsers.set(app, found);
  return found;
}

/** Asks for a login link; returns the flash the user then sees. */
async function askForLink(app: TestApp, email: string) {
  const client = browser(app);
  expect((await client.post("/accounts/send_login_email", { email })).status).toBe(302);
  const alert = flashAlert(await (await client.get("/")).text());
  return alert && { level: alert.level, text: htmlText(alert.text) };
}

async function logsInWith(app: TestApp, link: string): Promise<string | undefined> {
  const client = browser(app);
  expect((await client.get(link)).status).toBe(302);
  return loggedInAs(await (await client.get("/")).text());
}

async function jsonFiles(path: string): Promise<Record<string, string>[]> {
  const names = (await readdir(path)).filter((name) => name.endsWith(".json")).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(path, name), "utf8"))));
}

const SENT = { level: "success", text: CHECK_EMAIL_MESSAGE };

describe("the file backend", () => {
  test("writes one JSON file per message, whose link logs the user in", async () => {
    const { app } = await appWithBackend({ EMAIL_BACKEND: "file", EMAIL_FILE_DIR: join(dir, "outbox") });
    try {
      expect(await askForLink(app, "first@example.com")).toEqual(SENT);
      expect(await askForLink(app, "second@example.com")).toEqual(SENT);
      const messages = await jsonFiles(join(dir, "outbox"));
      expect(messages.map((message) => message.to)).toEqual(["first@example.com", "second@example.com"]);
      for (const message of messages) {
        expect(message).toMatchObject({ from: "noreply@superlists", subject: LOGIN_EMAIL_SUBJECT });
        expect(new Date(message.date ?? "").getTime()).not.toBeNaN();
      }
      expect(await readdir(join(dir, "outbox"))).toHaveLength(2);
      expect(await logsInWith(app, loginLinkIn(messages[1]?.text ?? ""))).toBe("second@example.com");
    } finally {
      await app.close();
    }
  });

  test("a directory it cannot write to means the friendly warning, not a 500", async () => {
    const blocker = join(dir, "not-a-directory");
    await writeFile(blocker, "");
    const { app, logs } = await appWithBackend({ EMAIL_BACKEND: "file", EMAIL_FILE_DIR: blocker });
    try {
      expect(await askForLink(app, "blocked@example.com")).toEqual({ level: "warning", text: SEND_FAILED_MESSAGE });
      expect(logs.some((line) => line.msg === "could not send the login email")).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe("EMAIL_CAPTURE_DIR", () => {
  test("also writes every message sent by the memory backend", async () => {
    const { app } = await appWithBackend({ EMAIL_BACKEND: "memory", EMAIL_CAPTURE_DIR: join(dir, "captured") });
    try {
      expect(await askForLink(app, "captured@example.com")).toEqual(SENT);
      const [message, ...others] = await jsonFiles(join(dir, "captured"));
      expect(others).toEqual([]);
      expect(message).toMatchObject({ to: "captured@example.com", subject: LOGIN_EMAIL_SUBJECT });
      expect(await logsInWith(app, loginLinkIn(message?.text ?? ""))).toBe("captured@example.com");
    } finally {
      await app.close();
    }
  });

  test("a capture that cannot be written does not stop the email or the login; it is logged", async () => {
    const blocker = join(dir, "capture-is-a-file");
    await writeFile(blocker, "");
    const { logger, lines } = capturedLogs();
    const backend = memoryMailer();
    const { app } = await appWithBackend({}, capturingMailer(backend, blocker, logger));
    try {
      expect(await askForLink(app, "uncaptured@example.com")).toEqual(SENT);
      expect(backend.outbox.map((message) => message.to)).toEqual(["uncaptured@example.com"]);
      const failure = lines.find((line) => line.msg === "could not write the email capture file");
      expect(failure).toMatchObject({ captureDir: blocker, err: { message: expect.stringMatching(/EEXIST|ENOTDIR/) } });
      expect(await logsInWith(app, loginLinkIn(backend.outbox[0]?.text ?? ""))).toBe("uncaptured@example.com");
    } finally {
      await app.close();
    }
  });

  test("a message the backend failed to send is not captured", async () => {
    const { logger } = capturedLogs();
    const failing: Mailer = {
      send: () => Promise.reject(new Error("550 mailbox unavailable")),
      close: () => {},
    };
    const { app } = await appWithBackend({}, capturingMailer(failing, join(dir, "captured"), logger));
    try {
      expect(await askForLink(app, "bounced@example.com")).toEqual({ level: "warning", text: SEND_FAILED_MESSAGE });
      await expect(readdir(join(dir, "captured"))).rejects.toMatchObject({ code: "ENOENT" });
    } finally {
      await app.close();
    }
  });
});

describe("the console backend", () => {
  test("prints the headers, then the body ending with the link", async () => {
    const printed: string[] = [];
    const { app } = await appWithBackend(
      {},
      consoleMailer((text) => printed.push(text)),
    );
    try {
      expect(await askForLink(app, "console@example.com")).toEqual(SENT);
      expect(printed).toHaveLength(1);
      const text = printed[0] ?? "";
      const blankLine = text.indexOf("\n\n");
      expect(text.slice(0, blankLine)).toBe(
        `From: noreply@superlists\nTo: console@example.com\nSubject: ${LOGIN_EMAIL_SUBJECT}`,
      );
      const bodyLines = text
        .slice(blankLine + 2)
        .trimEnd()
        .split("\n");
      expect(bodyLines).toContain("Use this link to log in:");
      // A rule closes each printed message; the link is the line above it.
      expect(bodyLines.at(-1)).toMatch(/^-+$/);
      expect(await logsInWith(app, bodyLines.at(-2) ?? "")).toBe("console@example.com");
    } finally {
      await app.close();
    }
  });
});
