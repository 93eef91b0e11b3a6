// The nodemailer SMTP transport for EMAIL_HOST/EMAIL_PORT/EMAIL_USE_TLS: shared by the
// smtp backend (sending) and `superlists check --smtp` (logging in), so both talk to
// the server the same way. nodemailer is loaded on first use: most processes (the
// tests, development, every CLI command but `check`) never send through SMTP, and
// its modules are a fifth of the program's code to load at start-up.
import type { Transporter } from "nodemailer";
import type { EmailConfig } from "../config.ts";

export type SmtpAuth = { user: string; pass: string } | undefined;

export async function smtpTransport(config: EmailConfig, auth: SmtpAuth): Promise<Transporter> {
  const { default: nodemailer } = await import("nodemailer");
  return nodemailer.createTransport({
    host: config.host,
    port: config.port,
    // Port 465 speaks TLS from the first byte; otherwise EMAIL_USE_TLS demands STARTTLS.
    secure: config.port === 465,
    requireTLS: config.useTls,
    ignoreTLS: !config.useTls && config.port !== 465,
    auth,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}
