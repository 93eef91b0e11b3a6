// The client's IP address as the app counts and logs it, from what the socket or a
// proxy's X-Forwarded-For says. One spelling per address, so that writing an address
// another way (with a port, IPv4-mapped, in upper case, zeros spelt out) makes no new
// client; and one key per IPv6 network, since one customer gets a whole /64.
import { isIPv4, isIPv6 } from "node:net";

/** What any text that is no IP address becomes: such requests share one allowance, not one each. */
export const UNKNOWN_CLIENT = "unknown";

const PORT = /^\d{1,5}$/;

/** The address alone, brackets, port and zone id removed; undefined if the text holds no IP address. */
function bareAddress(text: string): string | undefined {
  if (text.startsWith("[")) {
    // "[::1]" or "[::1]:80": only IPv6 is written in brackets.
    const close = text.indexOf("]");
    const after = text.slice(close + 1);
    if (close === -1 || (after !== "" && !(after.startsWith(":") && PORT.test(after.slice(1))))) return undefined;
    return withoutZone(text.slice(1, close));
  }
  const colon = text.indexOf(":");
  if (colon === -1) return isIPv4(text) ? text : undefined;
  if (colon === text.lastIndexOf(":")) {
    // One colon: "1.2.3.4:4711". IPv6 has at least two.
    const host = text.slice(0, colon);
    return isIPv4(host) && PORT.test(text.slice(colon + 1)) ? host : undefined;
  }
  return withoutZone(text);
}

/** An IPv6 address without its zone id ("fe80::1%eth0" names the interface, not the peer). */
function withoutZone(text: string): string | undefined {
  if (!isIPv6(text)) return undefined;
  const percent = text.indexOf("%");
  return percent === -1 ? text : text.slice(0, percent);
}

/** The eight 16-bit groups of a valid IPv6 address (zone id already removed). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    // A trailing dotted quad ("::ffff:1.2.3.4") is the last two groups.
    const [a = 0, b = 0, c = 0, d = 0] = text
      .slice(lastColon + 1)
      .split(".")
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16)));
  const [head = "", tail] = text.split("::");
  if (tail === undefined) return groups(head);
  const before = groups(head);
  const after = groups(tail);
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/** RFC 5952's text for an IPv6 address: lower case, no leading zeros, the longest run of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let runStart = -1;
  let runLength = 1;
  for (let start = 0; start < groups.length; ) {
    let end = start;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - start > runLength) [runStart, runLength] = [start, end - start];
    start = end + 1;
  }
  const hex = groups.map((group) => group.toString(16));
  if (runStart === -1) return hex.join(":");
  return `${hex.slice(0, runStart).join(":")}::${hex.slice(runStart + runLength).join(":")}`;
}

/**
 * The one spelling of the address in `text` (a socket's peer, or an entry of
 * X-Forwarded-For): IPv4 in dotted decimal, IPv6 as RFC 5952 writes it, and an
 * IPv4-mapped IPv6 address ("::ffff:1.2.3.4") as the IPv4 address it is. A port
 * ("1.2.3.4:4711", "[::1]:80"), brackets and a zone id are dropped; any other text is
 * UNKNOWN_CLIENT.
 */
export function normalizeClientAddress(text: string): string {
  const address = bareAddress(text.trim());
  if (address === undefined) return UNKNOWN_CLIENT;
  if (!address.includes(":")) return address;
  const groups = ipv6Groups(address);
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  }
  return formatIpv6(groups);
}

/**
 * Who the per-IP limits count, for an address normalizeClientAddress gave: an IPv4
 * address itself, an IPv6 address's /64 (the smallest network a customer gets: counted
 * one by one, its 2^64 addresses would each get a fresh allowance).
 */
export function rateLimitKey(address: string): string {
  if (!address.includes(":")) return address;
  return `${formatIpv6([...ipv6Groups(address).slice(0, 4), 0, 0, 0, 0])}/64`;
}
