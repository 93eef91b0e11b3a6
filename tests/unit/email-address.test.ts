import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { INVALID_EMAIL_ERROR, MAX_EMAIL_LENGTH, normalizeEmail } from "../../src/email/email-address.ts";

// Address-shaped text salted with the characters that could smuggle another header
// or recipient: about one input in ten is accepted, so the property really bites.
const addressPart = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("a", "Z", "é", "+", "-", ".") },
    { weight: 1, arbitrary: fc.constantFrom(" ", "\r", "\n", "\t", "<", ">", ",", ";", '"', ":", "@", "\\") },
  ),
  maxLength: 20,
});
const emailishText = fc
  .tuple(addressPart, addressPart, addressPart)
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

describe("normalizeEmail", () => {
  test.each([
    ["edith@example.com", "edith@example.com"],
    ["  Edith@Example.COM \n", "edith@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, email: expected });
  });

  test.each([
    [undefined],
    [""],
    ["   "],
    ["edith"],
    ["edith@"],
    ["@example.com"],
    ["edith@localhost"],
    ["edith@@example.com"],
    ["edith@exa@mple.com"],
    ["edith smith@example.com"],
    ["<edith@example.com>"],
    ["Edith <edith@example.com>"],
    ["edith@example.com, eve@example.com"],
    ["edith@example.com;eve@example.com"],
    ['"edith"@example.com'],
    // A header injection attempt: the address ends up in the To: header.
    ["edith@example.com\r\nBcc: eve@example.com"],
    ["edith@example.com\nBcc:eve@example.com"],
  ])("refuses %j with the form error", (input) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, error: INVALID_EMAIL_ERROR });
  });

  test.each([
    [
      "an internationalised domain, as typed (U-label) or as sent (A-label)",
      ["edith@bücher.example", "edith@xn--bcher-kva.example", "Edith@BÜCHER.example"],
      "edith@xn--bcher-kva.example",
    ],
    [
      "Unicode composed (NFC) or decomposed (NFD)",
      ["ren\u00e9@example.com", "rene\u0301@example.com"],
      "ren\u00e9@example.com",
    ],
    [
      "a domain with its trailing dot (the DNS root) or without",
      ["edith@example.com.", "edith@example.com"],
      "edith@example.com",
    ],
    [
      "full-width letters and an ideographic full stop in the domain",
      ["edith@ＥＸＡＭＰＬＥ。com"],
      "edith@example.com",
    ],
  ])("one mailbox in several spellings is one address: %s", (_, spellings, expected) => {
    for (const spelling of spellings) expect(normalizeEmail(spelling)).toEqual({ ok: true, email: expected });
  });

  test.each([
    ["edith@ex%61mple.com"],
    ["edith@."],
    ["edith@example.com.@x"],
    ["edith@example.com/x"],
    ["edith@example.com?x"],
    ["edith@example.com#x"],
    ["edith@a..\\"],
  ])("refuses a domain that is no host name: %j", (input) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, error: INVALID_EMAIL_ERROR });
  });

  test("refuses an address longer than the database column", () => {
    const domain = "@example.com";
    const longest = `${"a".repeat(MAX_EMAIL_LENGTH - domain.length)}${domain}`;
    expect(normalizeEmail(longest)).toEqual({ ok: true, email: longest });
    expect(normalizeEmail(`a${longest}`).ok).toBe(false);
  });

  test("whatever is typed, an accepted address is idempotent and safe in a mail header", () => {
    fc.assert(
      fc.property(emailishText, (input) => {
        const result = normalizeEmail(input);
        if (!result.ok) return;
        expect(result.email).not.toMatch(/[\s<>,;"]/);
        expect(result.email.split("@")).toHaveLength(2);
        expect(result.email.length).toBeLessThanOrEqual(MAX_EMAIL_LENGTH);
        expect(normalizeEmail(result.email)).toEqual(result);
      }),
    );
  });

  test("real-world addresses are accepted, and case or surrounding spaces make no other user", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const plain = normalizeEmail(address);
        expect(plain).toEqual({ ok: true, email: address.toLowerCase() });
        expect(normalizeEmail(`  ${address.toUpperCase()} `)).toEqual(plain);
      }),
    );
  });
});
