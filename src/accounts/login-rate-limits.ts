// Which login-email requests are refused. The limits stop floods without letting a
// stranger lock a user out:
// - per address AND requesting IP: a cooldown between two emails, and a few per hour.
//   A stranger hammering an address from their IP only uses up their own allowance;
// - per IP, for all addresses: an hourly cap, so one machine cannot spray many inboxes;
// - per address, from anywhere: an hourly cap well above the per-IP one, stopping a
//   flood from many IPs while a stranger on one IP cannot exhaust it.
// Refused requests are not counted (their token is deleted), so hammering a limit does
// not prolong it. Counts come from the login tokens themselves: nothing in memory.
// An "IP" is an IPv4 address or an IPv6 /64 (rateLimitKey in src/web/client-address.ts):
// one customer's network, else each of its 2^64 addresses would have its own allowance.
import type { RecentLoginRequests } from "./login-tokens.ts";

export type LoginEmailLimits = {
  cooldownSeconds: number;
  perAddressAndIpPerHour: number;
  perIpPerHour: number;
  perAddressPerHour: number;
};

export type LoginEmailRefusal = "cooldown" | "limit";

/** Why this request (already counted in `recent`) is refused, or undefined to send it. */
export function loginEmailRefusal(
  recent: RecentLoginRequests,
  limits: LoginEmailLimits,
): LoginEmailRefusal | undefined {
  if (limits.cooldownSeconds > 0 && recent.forEmailFromIpInCooldown > 1) return "cooldown";
  if (
    recent.forEmailFromIp > limits.perAddressAndIpPerHour ||
    recent.fromIp > limits.perIpPerHour ||
    recent.forEmail > limits.perAddressPerHour
  ) {
    return "limit";
  }
  return undefined;
}
