// Validation and normalisation of email addresses typed into forms.
import { domainToASCII } from "node:url";

export const MAX_EMAIL_LENGTH = 254;
export const INVALID_EMAIL_ERROR = "Please enter a valid email address.";

// Deliberately simple: one @, no spaces or angle brackets, a dot in the domain.
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
// Control characters are invisible, and PostgreSQL refuses NUL in text (a 500).
const CONTROL_CHARACTER = /\p{Cc}/u;

export type EmailResult = { ok: true; email: string } | { ok: false; error: string };

/**
 * One mailbox, one spelling, so one account: lower case; Unicode in NFC (an "é" typed
 * as one character or as "e" plus an accent is the same); the domain without its
 * trailing dot (the DNS root) and in its ASCII form (bücher.example and
 * xn--bcher-kva.example are one domain: the A-label is what mail servers use, and it
 * cannot pass for another domain's name on screen).
 */
export function normalizeEmail(input: string | undefined): EmailResult {
  const typed = (input ?? "").trim().normalize("NFC").toLowerCase();
  const at = typed.lastIndexOf("@");
  const domain = typed.slice(at + 1).replace(/\.+$/, "");
  // domainToASCII would decode percent escapes: "%" is no part of a host name.
  const asciiDomain = at === -1 || domain.includes("%") ? "" : domainToASCII(domain);
  const email = `${typed.slice(0, at)}@${asciiDomain}`;
  if (
    asciiDomain === "" ||
    email.length > MAX_EMAIL_LENGTH ||
    !EMAIL_SHAPE.test(email) ||
    CONTROL_CHARACTER.test(email)
  ) {
    return { ok: false, error: INVALID_EMAIL_ERROR };
  }
  return { ok: true, email };
}
