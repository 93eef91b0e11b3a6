// The login email's text.
import type { EmailMessage } from "../email/message.ts";

export const LOGIN_EMAIL_SUBJECT = "Your login link for Superlists";

/** How long the link lasts, as a person says it: "15 minutes", "1 hour", "90 seconds". */
export function linkLifetime(seconds: number): string {
  const [amount, unit] =
    seconds % 3600 === 0
      ? [seconds / 3600, "hour"]
      : seconds % 60 === 0
        ? [seconds / 60, "minute"]
        : [seconds, "second"];
  return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
}

export function loginEmail({
  from,
  to,
  loginUrl,
  maxAgeSeconds,
}: {
  from: string;
  to: string;
  loginUrl: string;
  maxAgeSeconds: number;
}): EmailMessage {
  return {
    from,
    to,
    subject: LOGIN_EMAIL_SUBJECT,
    text: `Hello,\n\nThe link below logs you in once, within ${linkLifetime(maxAgeSeconds)} of asking for it.\nUse this link to log in:\n\n${loginUrl}`,
  };
}
