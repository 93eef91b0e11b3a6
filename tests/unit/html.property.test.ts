import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type Html, type HtmlValue, html } from "../../src/web/html.ts";

const ENTITY_OF: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
const ENTITY_TEXT = Object.fromEntries(Object.entries(ENTITY_OF).map(([character, entity]) => [entity, character]));

function unescapeHtml(markup: string): string {
  return markup.replace(/&(?:amp|lt|gt|#34|#39);/g, (entity) => ENTITY_TEXT[entity] ?? entity);
}

/** Markup made by the tag from literal template text, as a template in the source would be. */
function literalMarkup(markup: string): Html {
  return html(Object.assign([markup], { raw: [markup] }));
}

// Any text, salted with the characters that matter, entity look-alikes and template whitespace.
const SALT = ["&", "<", ">", '"', "'", "&amp;", "&lt;", "&#39;", "&#x3C;", ";", "#", " ", "\n", "\t"];
const text = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SALT) },
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)) },
  ),
  maxLength: 40,
});

const value: fc.Arbitrary<HtmlValue> = fc.letrec<{ value: HtmlValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.double(),
    fc.integer(),
    fc.constantFrom(null, undefined),
    text.map(literalMarkup),
    fc.array(tie("value"), { maxLength: 4 }),
  ),
})).value;

/** What the documentation at the top of src/web/html.ts says each kind of value becomes. */
function expectedMarkup(item: HtmlValue): string {
  if (typeof item === "string") return item.replace(/[&<>"']/g, (character) => ENTITY_OF[character] ?? character);
  if (typeof item === "number") return String(item);
  if (Array.isArray(item)) return item.map(expectedMarkup).join("");
  if (item === null || item === undefined) return "";
  return item.toString();
}

describe("html tagged template", () => {
  test("the five special characters become their entities", () => {
    expect(html`${`<a href="x" title='y'>&amp;</a>`}`.toString()).toBe(
      "&lt;a href=&#34;x&#34; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
    );
  });

  test("interpolated text never contains a markup character, and every & starts one of the five entities", () => {
    fc.assert(
      fc.property(text, (input) => {
        const markup = html`${input}`.toString();
        expect(markup).not.toMatch(/[<>"']/);
        expect(markup.replace(/&(?:amp|lt|gt|#34|#39);/g, "")).not.toContain("&");
      }),
    );
  });

  test("unescaping interpolated text gives the text back", () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(unescapeHtml(html`${input}`.toString())).toBe(input);
      }),
    );
  });

  test("text cannot leave the element or the quoted attribute it is put in", () => {
    fc.assert(
      fc.property(text, text, (title, body) => {
        const markup = html`<p title="${title}">${body}</p>`.toString();
        expect(markup.match(/[<>"]/g)).toEqual(["<", '"', '"', ">", "<", ">"]);
        expect(markup.startsWith('<p title="')).toBe(true);
        expect(markup.endsWith("</p>")).toBe(true);
      }),
    );
  });

  test("the template's own text is kept as written", () => {
    fc.assert(
      fc.property(text, text, text, (before, input, after) => {
        const template = Object.assign([before, after], { raw: [before, after] });
        expect(html(template, input).toString()).toBe(before + html`${input}`.toString() + after);
      }),
    );
  });

  test("a fragment made by the tag is inserted as it is, not escaped again", () => {
    fc.assert(
      fc.property(text, text, (markup, input) => {
        expect(html`${literalMarkup(markup)}`.toString()).toBe(markup);
        const inner = html`<b>${input}</b>`;
        expect(html`<p>${inner}</p>`.toString()).toBe(`<p>${inner.toString()}</p>`);
      }),
    );
  });

  test("a String object is not markup: anything but the tag's own fragments is never trusted", () => {
    const forged = new String("<script>alert(1)</script>") as unknown as HtmlValue;
    expect(html`${forged}`.toString()).toBe("");
    const lookalike = { toString: () => "<script>alert(1)</script>" } as unknown as HtmlValue;
    expect(html`${lookalike}`.toString()).toBe("");
  });

  test("numbers are written as JavaScript writes them", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (number) => {
        expect(html`${number}`.toString()).toBe(String(number));
      }),
    );
  });

  test("null and undefined render as nothing", () => {
    expect(html`a${null}b${undefined}c`.toString()).toBe("abc");
  });

  test("a list renders as its items one after another, nested lists included, each escaped as on its own", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (items) => {
        expect(html`${items}`.toString()).toBe(items.map((item) => html`${item}`.toString()).join(""));
        expect(html`${items}`.toString()).toBe(expectedMarkup(items));
      }),
    );
  });
});
