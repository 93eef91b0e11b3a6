// The login email through a real SMTP server that, like a real provider, demands
// authentication: the chapter's production bug (no EMAIL_PASSWORD → 530) included.
import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHECK_EMAIL_MESSAGE, SEND_FAILED_MESSAGE } from "../../src/accounts/account-routes.ts";
import { loadConfig } from "../../src/config.ts";
import { createMailer } from "../../src/email/mailers.ts";
import { htmlText, loggedInAs, loginLinkIn } from "../support/accounts.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { flashAlert } from "../support/html.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const SMTP_USER = "superlists-mailer";
const SMTP_PASSWORD = "correct horse battery staple";

type Received = { raw: string; user: unknown; mailFrom: string | undefined; rcptTo: string[] };
const received: Received[] = [];

let smtp: SMTPServer;
let smtpPort: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      // The session is reused for the next message: copy what the tests check now.
      const { user, envelope } = session;
      const mailFrom = envelope.mailFrom ? envelope.mailFrom.address : undefined;
      const rcptTo = envelope.rcptTo.map((recipient) => recipient.address);
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({ raw: Buffer.concat(chunks).toString("utf8"), user, mailFrom, rcptTo });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.server.once("error", reject);
    smtp.listen(0, "127.0.0.1", () => resolve());
  });
  const address = smtp.server.address();
  if (address === null || typeof address === "string") throw new Error("SMTP server has no port");
  smtpPort = address.port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

type SmtpApp = TestApp & { logs: LogLine[] };

/** The app with the real SMTP backend (as in production), logging to memory. */
async function appWithSmtp(email: Record<string, string>): Promise<SmtpApp> {
  const env = {
    EMAIL_BACKEND: "smtp",
    EMAIL_HOST: "127.0.0.1",
    // In-process requests share one IP: keep that limit out of the way.
    LOGIN_EMAILS_PER_IP_PER_HOUR: "1000",
    ...email,
  };
  const { logger, lines } = capturedLogs();
  const mailer = createMailer(loadConfig({ SUPERLISTS_ENV: "test", ...env }).email, logger);
  const app = await createTestApp(env, { mailer, logger });
  return {
    ...app,
    logs: lines,
    close: async () => {
      mailer.close();
      await app.close();
    },
  };
}

/** Asks for a login link from the home page (in `client`); returns the flash shown afterwards. */
async function askForLink(app: TestApp, email: string, client = app.client()) {
  const response = await client.post("/accounts/send_login_email", { email });
  expect(response.status).toBe(302);
  const page = await client.get("/");
  expect(page.status).toBe(200);
  const alert = flashAlert(await page.text());
  return alert && { level: alert.level, text: htmlText(alert.text) };
}

/** Headers (unfolded) and the decoded text body of a raw single-part message. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, " ")
    .split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (headers.get("content-transfer-encoding")?.toLowerCase() === "quoted-printable") {
    // Minimal quoted-printable decoding: soft line breaks, then =XX bytes.
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    body = Buffer.from(bytes, "latin1").toString("utf8");
  }
  return { headers, body };
}

/** The token rows of an address that could still log someone in. */
async function usableTokens(app: TestApp, email: string) {
  return app.database.db
    .selectFrom("login_tokens")
    .select("token_hash")
    .where("email", "=", email)
    .where("used_at", "is", null)
    .execute();
}

function sendFailures(logs: LogLine[]) {
  return logs.filter((line) => line.msg === "could not send the login email");
}

describe("with the right SMTP password", () => {
  let app: SmtpApp;
  beforeAll(async () => {
    app = await appWithSmtp({
      EMAIL_PORT: String(smtpPort),
      EMAIL_HOST_USER: SMTP_USER,
      EMAIL_PASSWORD: SMTP_PASSWORD,
    });
  });
  afterAll(() => app.close());

  test("the login email is delivered, and its link logs the user in", async () => {
    const before = received.length;
    const client = app.client();
    expect(await askForLink(app, "edith@example.com", client)).toEqual({
      level: "success",
      text: CHECK_EMAIL_MESSAGE,
    });
    expect(received).toHaveLength(before + 1);
    const { raw, user, mailFrom, rcptTo } = received.at(-1) as Received;
    expect({ user, mailFrom, rcptTo }).toEqual({
      user: SMTP_USER,
      mailFrom: "noreply@superlists",
      rcptTo: ["edith@example.com"],
    });

    const { headers, body } = parseMessage(raw);
    expect(headers.get("subject")).toBe("Your login link for Superlists");
    expect(headers.get("to")).toBe("edith@example.com");
    expect(body.split(/\r?\n/)).toContain("Use this link to log in:");
    const link = loginLinkIn(body);
    expect(link).toMatch(/^http:\/\/testserver\/accounts\/login\?token=[A-Za-z0-9_-]{22,}$/);

    expect((await client.get(link)).status).toBe(302);
    expect(loggedInAs(await (await client.get("/")).text())).toBe("edith@example.com");
    expect(sendFailures(app.logs)).toEqual([]);
  });
});

describe("when sending fails, the user is told and the error is logged", () => {
  test("no EMAIL_PASSWORD: the server answers 530 authentication required", async () => {
    const app = await appWithSmtp({ EMAIL_PORT: String(smtpPort), EMAIL_HOST_USER: SMTP_USER });
    try {
      const before = received.length;
      expect(await askForLink(app, "nopassword@example.com")).toEqual({
        level: "warning",
        text: SEND_FAILED_MESSAGE,
      });
      expect(SEND_FAILED_MESSAGE).toContain("couldn't send your login email");
      const [failure, ...others] = sendFailures(app.logs);
      expect(others).toEqual([]);
      expect(failure?.err?.message).toMatch(/530/);
      expect(failure?.err?.message).toMatch(/authentication required/i);
      expect(failure?.err?.stack).toBeDefined();
      expect(failure?.requestId).toEqual(expect.any(String));
      expect(received).toHaveLength(before);
      expect(await usableTokens(app, "nopassword@example.com")).toEqual([]);
    } finally {
      await app.close();
    }
  });

  test("a wrong EMAIL_PASSWORD: the server refuses the login", async () => {
    const app = await appWithSmtp({
      EMAIL_PORT: String(smtpPort),
      EMAIL_HOST_USER: SMTP_USER,
      EMAIL_PASSWORD: "wrong password",
    });
    try {
      expect(await askForLink(app, "wrongpassword@example.com")).toEqual({
        level: "warning",
        text: SEND_FAILED_MESSAGE,
      });
      expect(sendFailures(app.logs)[0]?.err?.message).toMatch(/535/);
      expect(JSON.stringify(app.logs)).not.toContain("wrong password");
      expect(await usableTokens(app, "wrongpassword@example.com")).toEqual([]);
    } finally {
      await app.close();
    }
  });

  test("the SMTP server is down", async () => {
    // A port that was just free: nothing listens there.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const app = await appWithSmtp({
      EMAIL_PORT: String(closedPort),
      EMAIL_HOST_USER: SMTP_USER,
      EMAIL_PASSWORD: SMTP_PASSWORD,
    });
    try {
      expect(await askForLink(app, "serverdown@example.com")).toEqual({
        level: "warning",
        text: SEND_FAILED_MESSAGE,
      });
      expect(sendFailures(app.logs)[0]?.err?.message).toMatch(/ECONNREFUSED/);
      expect(await usableTokens(app, "serverdown@example.com")).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
