// The email backends (smtp, console, file, memory) and the capture wrapper.
import type { Transporter } from "nodemailer";
import type { EmailConfig } from "../config.ts";
import type { Logger } from "../runtime/logger.ts";
import type { EmailMessage, Mailer } from "./message.ts";
import { writeMessageFile } from "./message-files.ts";
import { smtpTransport } from "./smtp-transport.ts";

/**
 * `abandon`: aborted when the server shuts down and no send may take longer; a send under
 * way then fails (the user is told to try again) instead of holding its request open.
 */
export function smtpMailer(config: EmailConfig, abandon?: AbortSignal): Mailer {
  // As Django does: log in only with both a user and a password. Without a password the
  // server's own answer ("530 authentication required") reaches the logs, not a local error.
  const auth = config.user && config.password ? { user: config.user, pass: config.password } : undefined;
  // Opened by the first send and shared by the later ones (concurrent ones included).
  let transport: Promise<Transporter> | undefined;
  const deadlineMs = config.sendTimeoutSeconds * 1000;
  return {
    send: async (message) => {
      transport ??= smtpTransport(config, auth);
      // nodemailer's own timeouts measure inactivity: a server answering slowly, line by
      // line, would hold the login request for ever. The signal bounds the whole send.
      const deadline = AbortSignal.timeout(deadlineMs);
      await (await transport).sendMail({
        ...message,
        signal: abandon ? AbortSignal.any([deadline, abandon]) : deadline,
      });
    },
    close: () => {
      // A transport that failed to open has nothing to close; its send already failed.
      void transport?.then(
        (opened) => opened.close(),
        () => {},
      );
    },
  };
}

/** Prints each message to stdout: the development default. */
export function consoleMailer(write: (text: string) => void = (text) => process.stdout.write(text)): Mailer {
  return {
    send: async (message) => {
      write(
        `From: ${message.from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n${"-".repeat(72)}\n`,
      );
    },
    close: () => {},
  };
}

export function fileMailer(dir: string): Mailer {
  return {
    send: async (message) => {
      await writeMessageFile(dir, message);
    },
    close: () => {},
  };
}

export type MemoryMailer = Mailer & { outbox: EmailMessage[] };

export function memoryMailer(): MemoryMailer {
  const outbox: EmailMessage[] = [];
  return {
    outbox,
    send: async (message) => {
      outbox.push(message);
    },
    close: () => {},
  };
}

/**
 * Also writes every message the backend accepted to a directory (staging reads it).
 * The message is already sent when capture fails, so that failure is logged, not raised.
 */
export function capturingMailer(backend: Mailer, dir: string, logger: Logger): Mailer {
  return {
    send: async (message) => {
      await backend.send(message);
      try {
        await writeMessageFile(dir, message);
      } catch (error) {
        logger.error({ err: error, captureDir: dir }, "could not write the email capture file");
      }
    },
    close: () => backend.close(),
  };
}

/** `abandon`: see smtpMailer (the other backends do not wait on anything remote). */
export function createMailer(config: EmailConfig, logger: Logger, abandon?: AbortSignal): Mailer {
  const backend = (() => {
    switch (config.backend) {
      case "smtp":
        return smtpMailer(config, abandon);
      case "file":
        return fileMailer(config.fileDir ?? "emails");
      case "memory":
        return memoryMailer();
      case "console":
        return consoleMailer();
    }
  })();
  logger.debug({ backend: config.backend, captureDir: config.captureDir }, "email backend ready");
  return config.captureDir ? capturingMailer(backend, config.captureDir, logger) : backend;
}
