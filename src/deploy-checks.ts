// Deployment checks (Django's `check --deploy`): what a production server
// needs before a user finds out the hard way.
import { type Config, DEV_SECRET_KEY } from "./config.ts";
import { refusedEmailBackend } from "./email/production-backends.ts";
import { normalizeClientAddress } from "./web/client-address.ts";

export type CheckResult = { name: string; ok: boolean; message: string };

/** Whether only this machine can reach a listener on `host` (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  const address = normalizeClientAddress(host);
  return address.startsWith("127.") || address === "::1" || host.toLowerCase() === "localhost";
}

/** The metrics show traffic, errors and the process's state: for the operator's Prometheus only. */
function metricsHostCheck(config: Config): CheckResult {
  const name = "metrics-host";
  const host = config.metricsHost;
  if (config.metricsPort === undefined)
    return { name, ok: true, message: "METRICS_PORT is not set: no metrics listener" };
  if (isLoopback(host)) return { name, ok: true, message: `METRICS_HOST=${host} (loopback)` };
  if (config.metricsAllowRemote) {
    return {
      name,
      ok: true,
      message: `METRICS_HOST=${host} is reachable from other machines (METRICS_ALLOW_REMOTE=1)`,
    };
  }
  return {
    name,
    ok: false,
    message: `METRICS_HOST=${host} is not a loopback address: other machines can read the metrics (set METRICS_ALLOW_REMOTE=1 if a firewall keeps them private)`,
  };
}

/** Checks of the configuration alone, with no I/O. */
export function configChecks(config: Config): CheckResult[] {
  const email = config.email;
  const backendRefusal = refusedEmailBackend(config);
  return [
    {
      name: "role",
      ok: config.productionMode,
      message: config.productionMode
        ? `SUPERLISTS_ENV=${config.role}`
        : `SUPERLISTS_ENV=${config.role} is not a production role (staging or production)`,
    },
    {
      name: "secret-key",
      ok: config.secretKey !== DEV_SECRET_KEY && config.secretKey.length >= 32,
      message:
        config.secretKey === DEV_SECRET_KEY
          ? "SECRET_KEY is the development default"
          : config.secretKey.length < 32
            ? "SECRET_KEY is shorter than 32 characters"
            : "SECRET_KEY is set",
    },
    {
      name: "allowed-hosts",
      ok: config.allowedHosts !== "any",
      message:
        config.allowedHosts === "any" ? "ALLOWED_HOSTS is not set" : `ALLOWED_HOSTS=${config.allowedHosts.join(",")}`,
    },
    {
      name: "email-backend",
      ok: backendRefusal === undefined,
      message: backendRefusal ?? `EMAIL_BACKEND=${email.backend}`,
    },
    {
      // Without a user the mailer never logs in, and EMAIL_PASSWORD goes unused.
      name: "email-user",
      ok: email.backend !== "smtp" || Boolean(email.user),
      message:
        email.backend !== "smtp"
          ? `EMAIL_BACKEND=${email.backend} needs no user`
          : email.user
            ? `EMAIL_HOST_USER=${email.user}`
            : "EMAIL_HOST_USER is empty: login emails will fail (530 authentication required)",
    },
    {
      name: "email-password",
      ok: email.backend !== "smtp" || Boolean(email.password),
      message:
        email.backend !== "smtp"
          ? `EMAIL_BACKEND=${email.backend} needs no password`
          : email.password
            ? "EMAIL_PASSWORD is set"
            : "EMAIL_PASSWORD is empty: login emails will fail (530 authentication required)",
    },
    metricsHostCheck(config),
  ];
}

/** What a production-mode server logs as warnings at start-up. */
export function deploymentWarnings(config: Config): string[] {
  if (!config.productionMode) return [];
  return configChecks(config)
    .filter((check) => !check.ok)
    .map((check) => `deployment check failed: ${check.message}`);
}
