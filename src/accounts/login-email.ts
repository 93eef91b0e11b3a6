// The login email's text.
import type { EmailMessage } from "../email/message.ts";

export const LOGIN_EMAIL_SUBJECT = "Your login link for Superlists";

export function loginEmail({ from, to, loginUrl }: { from: string; to: string; loginUrl: string }): EmailMessage {
  return {
    from,
    to,
    subject: LOGIN_EMAIL_SUBJECT,
    text: `Hello,\n\nUse this link to log in:\n\n${loginUrl}`,
  };
}
