import type { Command } from "commander";
import type { Config } from "../../config.ts";
import { capturedMessagesDir, readMessageFiles, type StoredMessage } from "../../email/message-files.ts";
import { CliError, EXIT } from "../cli-error.ts";
import { commandConfig, refuseInProduction } from "../command-context.ts";

function captureDirectory(config: Config): string {
  const dir = capturedMessagesDir(config.email);
  if (!dir) {
    throw new CliError(
      "no captured emails: set EMAIL_CAPTURE_DIR (or EMAIL_BACKEND=file and EMAIL_FILE_DIR)",
      EXIT.usage,
    );
  }
  return dir;
}

function formatMessage(message: StoredMessage): string {
  return `From: ${message.from}\nTo: ${message.to}\nDate: ${message.date}\nSubject: ${message.subject}\n\n${message.text}\n`;
}

export function registerEmails(program: Command): void {
  program
    .command("emails")
    .description("print captured emails, newest first")
    .option("--to <address>", "only messages sent to this address")
    .option("--last", "only the newest message: headers, then the body (its last line is the login link)")
    .option("--json", "print the messages as one JSON array")
    .action(async (options: { to?: string; last?: boolean; json?: boolean }) => {
      refuseInProduction("emails");
      const config = commandConfig();
      const recipient = options.to?.trim().toLowerCase();
      let messages = (await readMessageFiles(captureDirectory(config))).filter(
        (message) => recipient === undefined || message.to.toLowerCase() === recipient,
      );
      if (options.last) {
        if (messages.length === 0) throw new CliError(`no captured email${recipient ? ` to ${recipient}` : ""}`);
        messages = messages.slice(0, 1);
      }
      process.stdout.write(
        options.json ? `${JSON.stringify(messages)}\n` : messages.map(formatMessage).join(`${"-".repeat(72)}\n`),
      );
    });
}
