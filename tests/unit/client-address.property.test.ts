import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { normalizeClientAddress, rateLimitKey, UNKNOWN_CLIENT } from "../../src/web/client-address.ts";

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();
const port = fc.integer({ min: 0, max: 65535 });
const hexGroup = fc.integer({ min: 0, max: 0xffff }).map((group) => group.toString(16));
const zone = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);

/** The WHATWG URL parser's text for an IPv6 address: RFC 5952's form, written independently of ours. */
const urlForm = (address: string) => new URL(`http://[${address}]/`).hostname.slice(1, -1);
/** An IPv4-mapped address, as the URL parser writes it ("::ffff:102:304"). */
const isMapped = (address: string) => /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(urlForm(address));

/** The same text with each letter's case chosen at random. */
const anyCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((character, index) => (upper[index] ? character.toUpperCase() : character)).join(""));

describe("normalizeClientAddress", () => {
  test.each([
    ["1.2.3.4", "1.2.3.4"],
    ["1.2.3.4:4711", "1.2.3.4"],
    [" 1.2.3.4 ", "1.2.3.4"],
    ["::ffff:1.2.3.4", "1.2.3.4"],
    ["::FFFF:102:304", "1.2.3.4"],
    ["[::ffff:1.2.3.4]:443", "1.2.3.4"],
    ["[::1]:80", "::1"],
    ["[::1]", "::1"],
    ["::1", "::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["[fe80::1%25eth0]:8000", "fe80::1"],
    ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["::1.2.3.4", "::102:304"],
  ])("%j is %j", (text, address) => {
    expect(normalizeClientAddress(text)).toBe(address);
  });

  test.each([
    [""],
    ["unknown"],
    ["garbage"],
    ["1.2.3"],
    ["01.2.3.4"],
    ["256.1.1.1"],
    ["1.2.3.4:"],
    ["1.2.3.4:port"],
    ["1.2.3.4:123456"],
    ["[1.2.3.4]"],
    ["[::1"],
    ["[::1]x"],
    ["[::1]:"],
    ["1::2::3"],
    ["fe80::1%"],
    ["1.2.3.4, 5.6.7.8"],
    ["localhost"],
  ])("%j is no address: %j", (text) => {
    expect(normalizeClientAddress(text)).toBe(UNKNOWN_CLIENT);
  });

  test("an IPv4 address is itself, with or without a port, and as an IPv4-mapped IPv6 address in any spelling", () => {
    fc.assert(
      fc.property(ipv4, port, (address, number) => {
        const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
        const hex = `${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
        for (const form of [
          address,
          `${address}:${number}`,
          `::ffff:${address}`,
          `[::ffff:${address}]:${number}`,
          `::FFFF:${hex}`,
          `0:0:0:0:0:ffff:${hex}`,
        ]) {
          expect(normalizeClientAddress(form), form).toBe(address);
        }
      }),
    );
  });

  test("an IPv6 address is written as RFC 5952 says, however it came: brackets, port, zone id, any case", () => {
    fc.assert(
      fc.property(
        ipv6.chain((address) => fc.tuple(fc.constant(address), anyCase(address))),
        port,
        zone,
        ([address, cased], number, zoneId) => {
          fc.pre(!isMapped(address));
          const expected = urlForm(address);
          for (const form of [address, cased, `[${cased}]`, `[${cased}]:${number}`, `${cased}%${zoneId}`]) {
            expect(normalizeClientAddress(form), form).toBe(expected);
          }
        },
      ),
    );
  });

  test("whatever the text: an IP address in its one spelling (normalizing again changes nothing), or unknown", () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF:.[]%"), maxLength: 50 }),
      ipv4.map((address) => `${address}:`),
      ipv6.map((address) => `[${address}`),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const address = normalizeClientAddress(text);
        if (address !== UNKNOWN_CLIENT) expect(isIP(address), address).not.toBe(0);
        expect(normalizeClientAddress(address)).toBe(address);
        expect(address.length).toBeLessThanOrEqual(39);
      }),
    );
  });
});

describe("rateLimitKey", () => {
  test("an IPv4 address (or unknown) is its own key", () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        expect(rateLimitKey(address)).toBe(address);
      }),
    );
    expect(rateLimitKey(UNKNOWN_CLIENT)).toBe(UNKNOWN_CLIENT);
  });

  test("an IPv6 address's key is its /64: the same for every address of that network, another for any other", () => {
    expect(rateLimitKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKey("::1")).toBe("::/64");
    const groups = (length: number) => fc.array(hexGroup, { minLength: length, maxLength: length });
    fc.assert(
      fc.property(groups(4), groups(4), groups(4), groups(4), (prefix, otherPrefix, host, otherHost) => {
        const address = (network: string[], interfaceId: string[]) =>
          normalizeClientAddress([...network, ...interfaceId].join(":"));
        expect(rateLimitKey(address(prefix, host))).toBe(rateLimitKey(address(prefix, otherHost)));
        fc.pre(prefix.join(":") !== otherPrefix.join(":"));
        // Mapped addresses are IPv4 clients: their key is no /64.
        fc.pre(!address(prefix, host).includes(".") && !address(otherPrefix, host).includes("."));
        expect(rateLimitKey(address(prefix, host))).not.toBe(rateLimitKey(address(otherPrefix, host)));
      }),
    );
  });
});
