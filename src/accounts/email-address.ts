// Validation and normalisation of email addresses typed into forms.

export const MAX_EMAIL_LENGTH = 254;
export const INVALID_EMAIL_ERROR = "Please enter a valid email address.";

// Deliberately simple: one @, no spaces or angle brackets, a dot in the domain.
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
// Control characters are invisible, and PostgreSQL refuses NUL in text (a 500).
const CONTROL_CHARACTER = /\p{Cc}/u;

export type EmailResult = { ok: true; email: string } | { ok: false; error: string };

/** Addresses are compared case-insensitively, so they are stored lower-cased. */
export function normalizeEmail(input: string | undefined): EmailResult {
  const email = (input ?? "").trim().toLowerCase();
  if (
    email.length === 0 ||
    email.length > MAX_EMAIL_LENGTH ||
    !EMAIL_SHAPE.test(email) ||
    CONTROL_CHARACTER.test(email)
  ) {
    return { ok: false, error: INVALID_EMAIL_ERROR };
  }
  return { ok: true, email };
}
