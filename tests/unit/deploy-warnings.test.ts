// What a production server logs as warnings at start (src/server.ts logs each one):
// the configuration checks of `check --deploy` that fail.
import { expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { deploymentWarnings } from "../../src/deploy-checks.ts";

const production = {
  SUPERLISTS_ENV: "production",
  SECRET_KEY: "a-production-secret-key-of-at-least-32-characters",
  ALLOWED_HOSTS: "superlists.example.com",
  EMAIL_HOST: "smtp.example.com",
  EMAIL_HOST_USER: "noreply@superlists.example.com",
  EMAIL_PASSWORD: "smtp-password",
};

test("a complete production configuration, metrics on loopback, gives no warning", () => {
  expect(deploymentWarnings(loadConfig(production))).toEqual([]);
  expect(deploymentWarnings(loadConfig({ ...production, METRICS_PORT: "9464" }))).toEqual([]);
});

test("metrics listening beyond loopback are warned about at start, unless METRICS_ALLOW_REMOTE=1", () => {
  const exposed = { ...production, METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" };
  expect(deploymentWarnings(loadConfig(exposed))).toEqual([
    "deployment check failed: METRICS_HOST=0.0.0.0 is not a loopback address: other machines can read the metrics (set METRICS_ALLOW_REMOTE=1 if a firewall keeps them private)",
  ]);
  expect(deploymentWarnings(loadConfig({ ...exposed, METRICS_ALLOW_REMOTE: "1" }))).toEqual([]);
});

test("outside production mode nothing is warned about", () => {
  expect(deploymentWarnings(loadConfig({ METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" }))).toEqual([]);
});
