import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  CONTROL_CHARACTER_ERROR,
  EMPTY_ITEM_ERROR,
  LONG_ITEM_ERROR,
  MAX_ITEM_LENGTH,
  validateItemText,
} from "../../src/lists/item-text.ts";
import { EMPTY_NAME_ERROR, NAME_CONTROL_CHARACTER_ERROR, validateListName } from "../../src/lists/list-name.ts";

// What String.prototype.trim removes: the spaces a user can type, paste or get from a phone keyboard.
const WHITESPACE = [" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u2028", "\u3000", "\ufeff"];
const whitespace = fc.string({ unit: fc.constantFrom(...WHITESPACE), maxLength: 6 });
const hasControlOrSpace = (text: string) => /\p{Cc}/u.test(text) || text.trim() !== text;

/** Printable characters (no controls, no spaces) of every width: ASCII, accented, astral (two UTF-16 units), emoji. */
const printable = fc.oneof(
  fc.constantFrom("a", "Z", "0", "é", "漢", "😀", "𝔸", "<", "&", "'"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((character) => !hasControlOrSpace(character)),
);
/** Text that starts and ends with a printable character, so trimming leaves it whole. */
const solidText = (maxLength: number) =>
  fc
    .tuple(printable, fc.string({ unit: fc.oneof(printable, fc.constantFrom(" ", "\t", "\n")), maxLength }), printable)
    .map(([first, middle, last]) => first + middle + last)
    .filter((text) => text.trim() === text);
const codePoints = (text: string) => [...text].length;
/** Every control character (Unicode's Cc: C0, DEL and C1, such as NEL U+0085 and CSI U+009B) but tab, CR and LF. */
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, code) => code),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
]
  .map((code) => String.fromCharCode(code))
  .filter((character) => !"\t\n\r".includes(character));
const control = fc.constantFrom(...CONTROLS);

describe("validateItemText", () => {
  test("nothing but whitespace (or no field at all) is the empty-item error", () => {
    expect(validateItemText(undefined)).toEqual({ ok: false, error: EMPTY_ITEM_ERROR });
    fc.assert(
      fc.property(whitespace, (text) => {
        expect(validateItemText(text)).toEqual({ ok: false, error: EMPTY_ITEM_ERROR });
      }),
    );
  });

  test("valid text is accepted, with the whitespace around it trimmed and everything inside kept", () => {
    fc.assert(
      fc.property(whitespace, solidText(50), whitespace, (before, text, after) => {
        fc.pre(codePoints(text) <= MAX_ITEM_LENGTH);
        expect(validateItemText(before + text + after)).toEqual({ ok: true, text });
      }),
    );
  });

  test(`the limit is ${MAX_ITEM_LENGTH} characters (code points, so an emoji counts once), after trimming`, () => {
    fc.assert(
      fc.property(printable, whitespace, whitespace, (character, before, after) => {
        const atLimit = character.repeat(Math.floor(MAX_ITEM_LENGTH / codePoints(character)));
        fc.pre(codePoints(atLimit) === MAX_ITEM_LENGTH);
        expect(validateItemText(before + atLimit + after)).toEqual({ ok: true, text: atLimit });
        expect(validateItemText(before + atLimit + character + after)).toEqual({ ok: false, error: LONG_ITEM_ERROR });
      }),
    );
  });

  test("any text longer than the limit is the length error, whatever else is wrong with it", () => {
    fc.assert(
      fc.property(
        solidText(20),
        fc.integer({ min: 1, max: 3 * MAX_ITEM_LENGTH }),
        fc.constantFrom("", "\u0000", "\u001b"),
        (text, extra, control) => {
          const long = (text + control).repeat(Math.ceil((MAX_ITEM_LENGTH + extra) / codePoints(text)));
          fc.pre(codePoints(long.trim()) > MAX_ITEM_LENGTH);
          expect(validateItemText(long)).toEqual({ ok: false, error: LONG_ITEM_ERROR });
        },
      ),
    );
  });

  test("a control character (C0, DEL or C1) other than tab, CR and LF anywhere in the text is refused with its own error", () => {
    fc.assert(
      fc.property(solidText(20), control, fc.nat(), (text, character, position) => {
        const at = 1 + (position % (text.length - 1));
        const result = validateItemText(text.slice(0, at) + character + text.slice(at));
        expect(result).toEqual({ ok: false, error: CONTROL_CHARACTER_ERROR });
      }),
    );
  });

  test("tabs and newlines inside the text are kept", () => {
    expect(validateItemText("buy\tmilk\r\nand eggs")).toEqual({ ok: true, text: "buy\tmilk\r\nand eggs" });
  });

  test("never throws, whatever the string (lone surrogates, controls, huge), and answers one of the documented results", () => {
    // Any UTF-16 code unit or code point, lone surrogates included.
    const anyCharacter = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    );
    const anyString = fc.oneof(
      fc.string({ unit: anyCharacter, maxLength: 200 }),
      fc.string({ unit: fc.constantFrom("\ud800", "\udfff", "\u0000", " ", "a", "😀"), maxLength: 50 }),
      fc
        .tuple(fc.string({ unit: anyCharacter, maxLength: 5 }), fc.integer({ min: 1, max: 20_000 }))
        .map(([text, times]) => text.repeat(times)),
    );
    const errors = [EMPTY_ITEM_ERROR, LONG_ITEM_ERROR, CONTROL_CHARACTER_ERROR];
    fc.assert(
      fc.property(anyString, (input) => {
        const result = validateItemText(input);
        if (result.ok) {
          expect(result.text).toBe(input.trim());
          expect(codePoints(result.text)).toBeLessThanOrEqual(MAX_ITEM_LENGTH);
        } else {
          expect(errors).toContain(result.error);
        }
      }),
    );
  });

  test("a huge string is answered with the length error", () => {
    expect(validateItemText("x".repeat(1_000_000))).toEqual({ ok: false, error: LONG_ITEM_ERROR });
  });
});

describe("validateListName", () => {
  test("valid text is the name, trimmed", () => {
    fc.assert(
      fc.property(whitespace, solidText(50), whitespace, (before, text, after) => {
        expect(validateListName(before + text + after)).toEqual({ ok: true, name: text });
      }),
    );
    expect(validateListName("  ")).toEqual({ ok: false, error: EMPTY_NAME_ERROR });
  });

  test("a control character (C0, DEL or C1) other than tab, CR and LF anywhere in the name is refused", () => {
    fc.assert(
      fc.property(solidText(20), control, fc.nat(), (text, character, position) => {
        const at = 1 + (position % (text.length - 1));
        const result = validateListName(text.slice(0, at) + character + text.slice(at));
        expect(result).toEqual({ ok: false, error: NAME_CONTROL_CHARACTER_ERROR });
      }),
    );
  });
});
