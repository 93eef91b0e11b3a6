// The audit trail an operator reads: one structured line per account event, with the
// request id, never a token or session key.
import { expect, test } from "vitest";
import { loginLinkIn } from "../support/accounts.ts";
import { capturedLogs, type LogLine } from "../support/captured-logs.ts";
import { createTestApp } from "../support/test-app.ts";

const ENV = { LOGIN_EMAILS_PER_IP_PER_HOUR: "1000", LOGIN_EMAIL_COOLDOWN_SECONDS: "0" };

const auditLines = (lines: LogLine[]) => lines.filter((line) => "audit" in line);

test("login email sent, login, logout: one line each, with the request id and no secret", async () => {
  const { logger, lines } = capturedLogs();
  const app = await createTestApp(ENV, { logger });
  try {
    const browser = app.client();
    await browser.post("/accounts/send_login_email", { email: "audited@example.com" }, { "X-Request-Id": "req-send" });
    const link = loginLinkIn(app.mailer.outbox.at(-1)?.text ?? "");
    await browser.get(link, { "X-Request-Id": "req-login" });
    const sessionKey = browser.cookies.get(app.config.sessionCookieName) ?? "";
    await browser.post("/accounts/logout", {}, { "X-Request-Id": "req-logout" });

    expect(auditLines(lines)).toEqual([
      expect.objectContaining({ audit: "login-email-sent", email: "audited@example.com", requestId: "req-send" }),
      expect.objectContaining({ audit: "login", email: "audited@example.com", via: "link", requestId: "req-login" }),
      expect.objectContaining({ audit: "logout", email: "audited@example.com", requestId: "req-logout" }),
    ]);
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(new URL(link).searchParams.get("token"));
    expect(sessionKey).not.toBe("");
    expect(everything).not.toContain(sessionKey);
  } finally {
    await app.close();
  }
});

test("a login email that could not be sent: one line, no token", async () => {
  const { logger, lines } = capturedLogs();
  const refusing = {
    send: async () => {
      throw new Error("530 authentication required");
    },
    close: () => {},
  };
  const app = await createTestApp(ENV, { logger, mailer: refusing });
  try {
    await app
      .client()
      .post("/accounts/send_login_email", { email: "unlucky@example.com" }, { "X-Request-Id": "req-fail" });
    expect(auditLines(lines)).toEqual([
      expect.objectContaining({ audit: "login-email-failed", email: "unlucky@example.com", requestId: "req-fail" }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/token=/);
  } finally {
    await app.close();
  }
});

test("confirming on another device is audited as such", async () => {
  const { logger, lines } = capturedLogs();
  const app = await createTestApp(ENV, { logger });
  try {
    await app.client().post("/accounts/send_login_email", { email: "phone@example.com" });
    const token = new URL(loginLinkIn(app.mailer.outbox.at(-1)?.text ?? "")).searchParams.get("token") ?? "";
    await app.client().post("/accounts/login", { token }, { "X-Request-Id": "req-confirm" });
    expect(auditLines(lines).at(-1)).toEqual(
      expect.objectContaining({
        audit: "login",
        email: "phone@example.com",
        via: "confirmation",
        requestId: "req-confirm",
      }),
    );
    expect(JSON.stringify(lines)).not.toContain(token);
  } finally {
    await app.close();
  }
});
