// Typed, validated configuration from environment variables (12-factor).
// Development needs no variables; production mode refuses to start without
// the values a real deployment must have.
import { existsSync } from "node:fs";
import * as z from "zod";

export const DEV_SECRET_KEY = "insecure-development-secret-key-do-not-use-in-production";

const ROLES = ["development", "test", "staging", "production"] as const;
export type Role = (typeof ROLES)[number];

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((value) => ["1", "true", "yes"].includes(value));

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const environmentSchema = z.object({
  SUPERLISTS_ENV: z.enum(ROLES).default("development"),
  SECRET_KEY: optionalText,
  ALLOWED_HOSTS: optionalText,
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATABASE_URL: z.string().min(1).default("sqlite:db.sqlite3"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(5),
  DATABASE_POOL_QUEUE_LIMIT: z.coerce.number().int().min(0).default(100),
  EMAIL_BACKEND: z.enum(["smtp", "console", "file", "memory"]).optional(),
  EMAIL_HOST: optionalText,
  EMAIL_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  EMAIL_HOST_USER: optionalText,
  EMAIL_PASSWORD: optionalText,
  EMAIL_USE_TLS: booleanFlag.default(false),
  EMAIL_FROM: z.string().min(3).default("noreply@superlists"),
  EMAIL_FILE_DIR: optionalText,
  EMAIL_CAPTURE_DIR: optionalText,
  EMAIL_SEND_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only")
    .default("sessionid"),
  SESSION_MAX_AGE_DAYS: z.coerce.number().positive().default(14),
  LOGIN_TOKEN_MAX_AGE_MINUTES: z.coerce.number().positive().default(15),
  LOGIN_EMAIL_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(60),
  LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR: z.coerce.number().int().min(1).default(5),
  LOGIN_EMAILS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  LOGIN_EMAILS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
  TRUST_PROXY: booleanFlag.default(false),
  METRICS_PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(0).max(65535).optional(),
  ),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  METRICS_ALLOW_REMOTE: booleanFlag.default(false),
  MAX_ITEMS_PER_LIST: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Every variable the configuration reads (docs/configuration.md and .env.example document each). */
export const CONFIG_VARIABLES = Object.keys(environmentSchema.shape);

export type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export type EmailConfig = {
  backend: "smtp" | "console" | "file" | "memory";
  host: string | undefined;
  port: number;
  user: string | undefined;
  password: string | undefined;
  useTls: boolean;
  from: string;
  fileDir: string | undefined;
  captureDir: string | undefined;
  /** One deadline for a whole send (connect, login, every command): SMTP timeouts are per inactivity. */
  sendTimeoutSeconds: number;
};

export type Config = {
  role: Role;
  productionMode: boolean;
  secretKey: string;
  allowedHosts: string[] | "any";
  host: string;
  port: number;
  database: DatabaseTarget;
  databasePoolSize: number;
  /** PostgreSQL: bound on connecting and on each statement, in milliseconds. */
  databaseTimeoutMs: number;
  /** PostgreSQL: requests allowed to wait for a pooled connection before a 503. */
  databasePoolQueueLimit: number;
  email: EmailConfig;
  sessionCookieName: string;
  sessionMaxAgeSeconds: number;
  loginTokenMaxAgeSeconds: number;
  loginEmailCooldownSeconds: number;
  loginEmailsPerAddressAndIpPerHour: number;
  loginEmailsPerAddressPerHour: number;
  loginEmailsPerIpPerHour: number;
  trustProxy: boolean;
  logLevel: string;
  /** Port of the private Prometheus listener; undefined (the default) means no metrics at all. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** The operator's word that a METRICS_HOST other machines can reach is meant (a firewall keeps it private). */
  metricsAllowRemote: boolean;
  /** Adding beyond it is refused; a list page never shows more (old data included). */
  maxItemsPerList: number;
};

export class ConfigError extends Error {}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  const path = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : url;
  if (path === "") throw new ConfigError("DATABASE_URL: sqlite path is empty");
  return { kind: "sqlite", path };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const name = issue.path.join(".");
  return `${name}: ${issue.message}`;
}

/** Builds the configuration from an environment; throws ConfigError with one clear line. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map(describeIssue).join("; ")}`);
  }
  const vars = parsed.data;
  const productionMode = vars.SUPERLISTS_ENV === "staging" || vars.SUPERLISTS_ENV === "production";
  if (productionMode && !vars.SECRET_KEY) {
    throw new ConfigError(`SECRET_KEY is required when SUPERLISTS_ENV=${vars.SUPERLISTS_ENV}`);
  }
  if (productionMode && vars.SECRET_KEY === DEV_SECRET_KEY) {
    throw new ConfigError("SECRET_KEY must not be the development default in production mode");
  }
  if (productionMode && !vars.ALLOWED_HOSTS) {
    throw new ConfigError(`ALLOWED_HOSTS is required when SUPERLISTS_ENV=${vars.SUPERLISTS_ENV}`);
  }
  const allowedHosts = vars.ALLOWED_HOSTS
    ? vars.ALLOWED_HOSTS.split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean)
    : "any";
  const emailBackend = vars.EMAIL_BACKEND ?? (productionMode ? "smtp" : "console");
  if (emailBackend === "file" && !vars.EMAIL_FILE_DIR) {
    throw new ConfigError("EMAIL_FILE_DIR is required when EMAIL_BACKEND=file");
  }
  if (emailBackend === "smtp" && !vars.EMAIL_HOST) {
    throw new ConfigError("EMAIL_HOST is required when EMAIL_BACKEND=smtp");
  }
  return {
    role: vars.SUPERLISTS_ENV,
    productionMode,
    secretKey: vars.SECRET_KEY ?? DEV_SECRET_KEY,
    allowedHosts,
    host: vars.HOST,
    port: vars.PORT,
    database: parseDatabaseUrl(vars.DATABASE_URL),
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    databaseTimeoutMs: Math.round(vars.DATABASE_TIMEOUT_SECONDS * 1000),
    databasePoolQueueLimit: vars.DATABASE_POOL_QUEUE_LIMIT,
    email: {
      backend: emailBackend,
      host: vars.EMAIL_HOST,
      port: vars.EMAIL_PORT,
      user: vars.EMAIL_HOST_USER,
      password: vars.EMAIL_PASSWORD,
      useTls: vars.EMAIL_USE_TLS,
      from: vars.EMAIL_FROM,
      fileDir: vars.EMAIL_FILE_DIR,
      captureDir: vars.EMAIL_CAPTURE_DIR,
      sendTimeoutSeconds: vars.EMAIL_SEND_TIMEOUT_SECONDS,
    },
    sessionCookieName: vars.SESSION_COOKIE_NAME,
    sessionMaxAgeSeconds: Math.round(vars.SESSION_MAX_AGE_DAYS * 86400),
    loginTokenMaxAgeSeconds: Math.round(vars.LOGIN_TOKEN_MAX_AGE_MINUTES * 60),
    loginEmailCooldownSeconds: vars.LOGIN_EMAIL_COOLDOWN_SECONDS,
    loginEmailsPerAddressAndIpPerHour: vars.LOGIN_EMAILS_PER_ADDRESS_AND_IP_PER_HOUR,
    loginEmailsPerAddressPerHour: vars.LOGIN_EMAILS_PER_ADDRESS_PER_HOUR,
    loginEmailsPerIpPerHour: vars.LOGIN_EMAILS_PER_IP_PER_HOUR,
    trustProxy: vars.TRUST_PROXY,
    logLevel: vars.LOG_LEVEL,
    metricsPort: vars.METRICS_PORT,
    metricsHost: vars.METRICS_HOST,
    metricsAllowRemote: vars.METRICS_ALLOW_REMOTE,
    maxItemsPerList: vars.MAX_ITEMS_PER_LIST,
  };
}

/** Loads `.env` from the working directory (if present) without overriding real variables. */
export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
