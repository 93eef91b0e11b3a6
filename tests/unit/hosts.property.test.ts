import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { hostName, isAllowedHost } from "../../src/web/allowed-hosts.ts";
import { VALID_HOST_HEADER } from "../../src/web/host-header.ts";

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const domainName = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join("."));
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().map((address) => `[${address}]`);
const host = fc.oneof(domainName, ipv4, ipv6);
const port = fc.integer({ min: 0, max: 65535 }).map(String);
const withPort = (name: string, number: string | null) => (number === null ? name : `${name}:${number}`);
const optionalPort = fc.option(port);

/** The same text with each letter's case chosen at random. */
const anyCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((character, index) => (upper[index] ? character.toUpperCase() : character)).join(""));

describe("hostName", () => {
  test.each([
    ["example.com", "example.com"],
    ["Example.COM:8000", "example.com"],
    ["127.0.0.1:80", "127.0.0.1"],
    ["[::1]:8000", "[::1]"],
    ["[2001:DB8::1]", "[2001:db8::1]"],
    [" example.com ", "example.com"],
  ])("%j is %j", (header, name) => {
    expect(hostName(header)).toBe(name);
  });

  test("the port never matters: a host with any port has the host's name", () => {
    fc.assert(
      fc.property(host, port, (name, number) => {
        expect(hostName(`${name}:${number}`)).toBe(name);
        expect(hostName(name)).toBe(name);
      }),
    );
  });

  test("the name is lower case whatever the header's case", () => {
    fc.assert(
      fc.property(
        host.chain((name) => fc.tuple(fc.constant(name), anyCase(name))),
        optionalPort,
        ([name, cased], number) => {
          expect(hostName(withPort(cased, number))).toBe(name);
        },
      ),
    );
  });
});

describe("isAllowedHost", () => {
  test("an exact entry allows that host, with any port and in any case", () => {
    fc.assert(
      fc.property(
        host.chain((name) => fc.tuple(fc.constant(name), anyCase(name))),
        optionalPort,
        ([name, cased], number) => {
          expect(isAllowedHost(withPort(cased, number), [name])).toBe(true);
        },
      ),
    );
  });

  test("an exact entry refuses its subdomains and every other name", () => {
    fc.assert(
      fc.property(domainName, domainName, optionalPort, (entry, other, number) => {
        expect(isAllowedHost(withPort(`${other}.${entry}`, number), [entry])).toBe(false);
        fc.pre(other !== entry);
        expect(isAllowedHost(withPort(other, number), [entry])).toBe(false);
      }),
    );
  });

  test("a leading-dot entry allows the domain itself and every subdomain, with any port and in any case", () => {
    const domainAndName = fc
      .tuple(domainName, fc.option(domainName))
      .chain(([domain, subdomain]) =>
        fc.tuple(fc.constant(domain), anyCase(subdomain === null ? domain : `${subdomain}.${domain}`)),
      );
    fc.assert(
      fc.property(domainAndName, optionalPort, ([domain, name], number) => {
        expect(isAllowedHost(withPort(name, number), [`.${domain}`])).toBe(true);
      }),
    );
  });

  test("a leading-dot entry refuses a name that only ends with the domain's text, or goes on after it", () => {
    fc.assert(
      fc.property(domainName, label, domainName, optionalPort, (domain, prefix, suffix, number) => {
        const isDomainOrSubdomain = (name: string) => name === domain || name.endsWith(`.${domain}`);
        // evilexample.com
        expect(isAllowedHost(withPort(`${prefix}${domain}`, number), [`.${domain}`])).toBe(false);
        // example.com.evil.net and example.com-evil.net (the entry taken as a prefix), unless the
        // generated suffix happens to end in the domain again ("a" + ".b.a" is a subdomain of "a").
        for (const name of [`${domain}.${suffix}`, `${domain}-${suffix}`]) {
          if (!isDomainOrSubdomain(name)) expect(isAllowedHost(withPort(name, number), [`.${domain}`])).toBe(false);
        }
      }),
    );
  });

  test.each([
    ["example.com", true],
    ["www.example.com", true],
    ["a.b.example.com:8443", true],
    ["WWW.Example.Com", true],
    ["evilexample.com", false],
    ["example.com.evil.net", false],
    ["example.co", false],
    ["xample.com", false],
    [".example.com", true],
  ])("%j against .example.com → %s", (header, allowed) => {
    expect(isAllowedHost(header, [".example.com"])).toBe(allowed);
  });

  test("bracketed IPv6 literals match their entry with or without a port, and never a prefix of it", () => {
    fc.assert(
      fc.property(ipv6, optionalPort, (address, number) => {
        expect(isAllowedHost(withPort(address, number), [address])).toBe(true);
        expect(isAllowedHost(withPort(address, number), [address.slice(0, -1)])).toBe(false);
        expect(isAllowedHost(withPort(address, number), [address.slice(1, -1)])).toBe(false);
      }),
    );
  });

  test("no header, an empty header or an empty list allows nothing", () => {
    fc.assert(
      fc.property(host, (name) => {
        expect(isAllowedHost(undefined, [name])).toBe(false);
        expect(isAllowedHost(name, [])).toBe(false);
      }),
    );
    expect(isAllowedHost("", ["example.com"])).toBe(false);
  });

  test("ALLOWED_HOSTS entries are matched whatever their case and spacing in the variable", () => {
    const config = loadConfig({ SUPERLISTS_ENV: "test", ALLOWED_HOSTS: " Example.COM , .Lists.Example.ORG " });
    expect(config.allowedHosts).not.toBe("any");
    const allowed = config.allowedHosts === "any" ? [] : config.allowedHosts;
    expect(isAllowedHost("example.com:8000", allowed)).toBe(true);
    expect(isAllowedHost("staging.lists.example.org", allowed)).toBe(true);
    expect(isAllowedHost("www.example.com", allowed)).toBe(false);
  });
});

/** Letters that fold to ASCII in some case mapping, invisible spaces, a full-width dot, a lone surrogate. */
const LOOKALIKES = ["\u00e9", "\u0131", "\u0130", "\u017f", "\u212a", "\u00a0", "\u200b", "\uff0e", "\ud800"];

describe("Host header shape (VALID_HOST_HEADER)", () => {
  test("host names, IPv4 and bracketed IPv6 addresses, with or without a port, in any case, are accepted", () => {
    fc.assert(
      fc.property(
        host.chain((name) => anyCase(name)),
        optionalPort,
        (name, number) => {
          expect(withPort(name, number)).toMatch(VALID_HOST_HEADER);
        },
      ),
    );
  });

  test("a header with any character outside letters, digits, '.', '-', ':' and IPv6 brackets is refused", () => {
    const allowedCharacter = /[a-z0-9.:[\]-]/i;
    const asciiOutside = Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code)).filter(
      (character) => !allowedCharacter.test(character),
    );
    // Every code point past ASCII is outside the set; lone surrogates included.
    const otherOutside = fc.integer({ min: 0x80, max: 0x10ffff }).map((code) => String.fromCodePoint(code));
    fc.assert(
      fc.property(host, optionalPort, fc.nat(), otherOutside, (name, number, position, other) => {
        const header = withPort(name, number);
        const at = position % (header.length + 1);
        // Every ASCII character outside the set, look-alikes and one from the rest of Unicode, at the same place.
        const spoiled = [...asciiOutside, ...LOOKALIKES, other].map(
          (character) => header.slice(0, at) + character + header.slice(at),
        );
        expect(spoiled.filter((candidate) => VALID_HOST_HEADER.test(candidate))).toEqual([]);
      }),
    );
  });

  test.each([
    "",
    "0/    !",
    "example.com/evil",
    "example.com:80:80",
    "example.com:port",
    "[::1",
    "::1",
    "[example.com]",
    "user@example.com",
    "example.com ",
  ])("%j is refused", (header) => {
    expect(header).not.toMatch(VALID_HOST_HEADER);
  });
});
