// Which of the emails that requests ask for are refused: login links, and "a list was
// shared with you" emails, each kind counted on its own (recent-emails.ts) and held to the
// same limits. The limits stop floods without letting a stranger lock a user out:
// - per address AND requesting IP: a few per hour, so a stranger hammering an address
//   from their IP only uses up their own allowance; and a cooldown between two emails
//   (login links: to one address from one IP; share emails: from one sharer to one person);
// - per IP, for all addresses: an hourly cap, so one machine cannot spray many inboxes;
// - per address, from anywhere: an hourly cap well above the per-IP one, stopping a
//   flood from many IPs while a stranger on one IP cannot exhaust it.
// The address is the one a login link goes to, or the sharer's.
// Refused requests are not counted (their record is deleted), so hammering a limit does
// not prolong it. Counts come from the records themselves: nothing in memory.
// An "IP" is an IPv4 address or an IPv6 /64 (rateLimitKey in src/web/client-address.ts):
// one customer's network, else each of its 2^64 addresses would have its own allowance.
import type { Config } from "../config.ts";
import type { RecentEmails } from "./recent-emails.ts";

export type EmailRateLimits = {
  cooldownSeconds: number;
  perAddressAndIpPerHour: number;
  perIpPerHour: number;
  perAddressPerHour: number;
};

export type EmailRefusal = "cooldown" | "limit";

/** The limits' settings: named for login emails (LOGIN_EMAIL*), which share emails keep too. */
export type RateLimitConfig = Pick<
  Config,
  | "loginEmailCooldownSeconds"
  | "loginEmailsPerAddressAndIpPerHour"
  | "loginEmailsPerIpPerHour"
  | "loginEmailsPerAddressPerHour"
>;

export function emailRateLimits(config: RateLimitConfig): EmailRateLimits {
  return {
    cooldownSeconds: config.loginEmailCooldownSeconds,
    perAddressAndIpPerHour: config.loginEmailsPerAddressAndIpPerHour,
    perIpPerHour: config.loginEmailsPerIpPerHour,
    perAddressPerHour: config.loginEmailsPerAddressPerHour,
  };
}

/** Why this email (already counted in `recent`) is refused, or undefined to send it. */
export function emailRefusal(recent: RecentEmails, limits: EmailRateLimits): EmailRefusal | undefined {
  if (limits.cooldownSeconds > 0 && recent.inCooldown > 1) return "cooldown";
  if (
    recent.forAddressFromIp > limits.perAddressAndIpPerHour ||
    recent.fromIp > limits.perIpPerHour ||
    recent.forAddress > limits.perAddressPerHour
  ) {
    return "limit";
  }
  return undefined;
}
