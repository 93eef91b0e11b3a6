// Generators of hostile input: the characters, encodings and lengths that break
// web apps (control characters, lone surrogates, bidi overrides, markup, bad
// percent-encoding, injection payloads, length edges).
import fc from "fast-check";

const NASTY_FRAGMENTS = [
  "",
  " ",
  "\t",
  "\r\n",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\ufeff",
  "\u202e",
  "\ufffe",
  "\uffff",
  "\ud800",
  "\udfff",
  "%",
  "%%",
  "%ZZ",
  "%E0%A4%A",
  "%00",
  "%2F",
  "+",
  "&",
  "=",
  "&text=",
  "&csrf_token=",
  ";",
  "#",
  "?",
  "<",
  ">",
  '"',
  "'",
  "`",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '" autofocus onfocus="alert(1)',
  "' onmouseover='alert(1)",
  "javascript:alert(1)",
  "</td></tr></table><h1>x</h1>",
  "<!--",
  "]]>",
  "../",
  "..%2f",
  "\\..\\",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally.
  "${7*7}",
  "{{7*7}}",
  "'; DROP TABLE items; --",
  "__proto__",
  "constructor",
  "@",
  "@example.com",
  "😀",
  "👨‍👩‍👧",
  "e\u0301",
  "İ",
  "ß",
  "𝕏",
  "ﷺ",
];

export const nastyFragment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_FRAGMENTS),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: "binary-ascii", maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
);

/** Around the 1000-character item limit, counted in code points, with padding that trimming removes. */
const lengthEdge: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 995, max: 1005 }),
    fc.constantFrom("x", "é", "😀", "\u0301"),
    fc.constantFrom("", " ", "\n\t "),
  )
  .map(([count, unit, padding]) => `${padding}${unit.repeat(count)}${padding}`);

export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(nastyFragment, { maxLength: 8 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: lengthEdge },
);

/** Email-shaped strings with hostile parts, and plain hostile strings. */
export const nastyEmail: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(nastyText, fc.constantFrom("@", "@@", ""), nastyText, fc.constantFrom(".com", ".co.uk", "", "."))
    .map((parts) => parts.join("")),
  fc
    .tuple(fc.emailAddress(), nastyFragment, fc.boolean())
    .map(([email, extra, before]) => (before ? `${extra}${email}` : `${email}${extra}`)),
  nastyText,
);

/** Percent-encodes some characters of a string and leaves others raw (a sloppy client). */
export function sloppilyEncoded(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(text, fc.constantFrom("all", "none", "reserved"))
    .map(([value, how]) =>
      how === "all"
        ? encodeURIComponent(value.toWellFormed())
        : how === "none"
          ? value
          : value.replace(/[&=+#?/ ]/g, (char) => encodeURIComponent(char)),
    );
}
