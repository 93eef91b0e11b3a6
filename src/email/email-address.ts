// Validation and normalisation of email addresses typed into forms.
import { domainToASCII } from "node:url";

export const MAX_EMAIL_LENGTH = 254;
export const INVALID_EMAIL_ERROR = "Please enter a valid email address.";

// Deliberately simple: one @, no spaces or angle brackets, a dot in the domain.
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
// Control characters are invisible, and PostgreSQL refuses NUL in text (a 500).
const CONTROL_CHARACTER = /\p{Cc}/u;
// No part of a host name, and domainToASCII (a URL host parser) would cut the domain
// at them or decode percent escapes: "a@example.com/x" must not become "a@example.com".
const NOT_IN_HOST_NAME = /[/?#\\%]/;
const TRAILING_DOTS = /\.+$/;

export type EmailResult = { ok: true; email: string } | { ok: false; error: string };

/**
 * One mailbox, one spelling, so one account: lower case; Unicode in NFC (an "é" typed
 * as one character or as "e" plus an accent is the same); the domain without its
 * trailing dot (the DNS root) and in its ASCII form (bücher.example and
 * xn--bcher-kva.example are one domain: the A-label is what mail servers use, and it
 * cannot pass for another domain's name on screen).
 */
export function normalizeEmail(input: string | undefined): EmailResult {
  const typed = (input ?? "").trim().toLowerCase().normalize("NFC");
  const at = typed.lastIndexOf("@");
  const domain = typed.slice(at + 1);
  // Mapping can leave a trailing dot ("。" is a full stop): dropped afterwards too.
  const asciiDomain =
    at === -1 || NOT_IN_HOST_NAME.test(domain)
      ? ""
      : domainToASCII(domain.replace(TRAILING_DOTS, "")).replace(TRAILING_DOTS, "");
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
