import type { Command } from "commander";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/database.ts";
import { schemaStatus } from "../../db/migrate.ts";
import { type CheckResult, configChecks } from "../../deploy-checks.ts";
import { normalizeEmail } from "../../email/email-address.ts";
import { smtpMailer } from "../../email/mailers.ts";
import { smtpTransport } from "../../email/smtp-transport.ts";
import { CliError, EXIT } from "../cli-error.ts";
import { commandConfig, withDatabase } from "../command-context.ts";

async function databaseChecks(database: Database): Promise<CheckResult[]> {
  try {
    const { version, pending } = await schemaStatus(database);
    return [
      { name: "database", ok: true, message: `${database.kind} database reachable` },
      {
        name: "migrations",
        ok: pending.length === 0,
        message: pending.length === 0 ? `schema at ${version}` : `unapplied migrations: ${pending.join(", ")}`,
      },
    ];
  } catch (error) {
    return [{ name: "database", ok: false, message: `cannot reach the database: ${(error as Error).message}` }];
  }
}

/** Logs in to the SMTP server without sending anything. */
async function smtpLoginCheck(config: Config): Promise<CheckResult> {
  const { email } = config;
  if (email.backend !== "smtp")
    return { name: "smtp", ok: true, message: `EMAIL_BACKEND=${email.backend}: no SMTP server used` };
  // Without a user nodemailer only connects: "ok" would hide the 530 the first login email gets.
  if (!email.user)
    return { name: "smtp", ok: false, message: "EMAIL_HOST_USER is empty: there is nothing to log in with" };
  const transport = await smtpTransport(email, { user: email.user, pass: email.password ?? "" });
  try {
    await transport.verify();
    return { name: "smtp", ok: true, message: `logged in to ${email.host}:${email.port}` };
  } catch (error) {
    return {
      name: "smtp",
      ok: false,
      message: `SMTP login to ${email.host}:${email.port} failed: ${(error as Error).message}`,
    };
  } finally {
    transport.close();
  }
}

export const TEST_EMAIL_SUBJECT = "Superlists test email";

/** Sends one real message through the configured SMTP server (after a deploy: is mail going out?). */
async function smtpSendCheck(config: Config, to: string): Promise<CheckResult> {
  const { email } = config;
  if (email.backend !== "smtp") {
    return { name: "smtp-send", ok: false, message: `EMAIL_BACKEND=${email.backend}: no SMTP server to send through` };
  }
  const mailer = smtpMailer(email);
  try {
    await mailer.send({
      from: email.from,
      to,
      subject: TEST_EMAIL_SUBJECT,
      text: "This message was sent by `superlists check --send-test-email` to check that login emails go out.",
    });
    return { name: "smtp-send", ok: true, message: `sent a test email to ${to} through ${email.host}:${email.port}` };
  } catch (error) {
    return {
      name: "smtp-send",
      ok: false,
      message: `sending a test email to ${to} through ${email.host}:${email.port} failed: ${(error as Error).message}`,
    };
  } finally {
    mailer.close();
  }
}

function testEmailAddress(input: string): string {
  const address = normalizeEmail(input);
  if (!address.ok) throw new CliError(`--send-test-email: not a valid email address: ${input}`, EXIT.usage);
  return address.email;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check the database and migrations; with --deploy, also production settings")
    .option("--deploy", "also check the settings a production deployment needs")
    .option("--smtp", "also log in to the SMTP server (sends nothing)")
    .option("--send-test-email <address>", "also send one real message to ADDRESS through the SMTP server")
    .action(async (options: { deploy?: boolean; smtp?: boolean; sendTestEmail?: string }) => {
      const testRecipient = options.sendTestEmail === undefined ? undefined : testEmailAddress(options.sendTestEmail);
      const config = commandConfig();
      const results = [
        ...(options.deploy ? configChecks(config) : []),
        ...(await withDatabase(config, databaseChecks)),
        ...(options.smtp ? [await smtpLoginCheck(config)] : []),
        ...(testRecipient === undefined ? [] : [await smtpSendCheck(config, testRecipient)]),
      ];
      for (const result of results) {
        process.stdout.write(`${result.ok ? "ok  " : "FAIL"} ${result.name}: ${result.message}\n`);
      }
      const failures = results.filter((result) => !result.ok).length;
      if (failures > 0) throw new CliError(`${failures} check${failures === 1 ? "" : "s"} failed`);
    });
}
