// The bench's peer: the book's Django app (bench/django-peer), found, migrated and
// seeded through Django's ORM, and served by gunicorn with sync workers. Where Python,
// Django or gunicorn is missing, `findDjangoPeer` says why and the bench goes on without it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { type CsrfNames, csrfTokenAndHome } from "./seed.ts";

const run = promisify(execFile);
const PEER_DIR = resolve(import.meta.dirname, "django-peer");
/** Debian's interpreter, which has apt's python3-django and gunicorn: `python3` on PATH may be another (pyenv's). */
const DEFAULT_PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
export const DJANGO_CSRF: CsrfNames = { cookie: "csrftoken", field: "csrfmiddlewaretoken" };

export type DjangoPeer = { python: string; versions: string };

export type PeerSeed = {
  csrfToken: string;
  homePage: string;
  listOf10: number;
  listOf1000: number;
  /** The list the add-item scenario grows. */
  listForPosts: number;
};

/** The peer's interpreter (BENCH_PEER_PYTHON, else Debian's), or why the peer cannot run. */
export async function findDjangoPeer(): Promise<DjangoPeer | { skipped: string }> {
  const python = process.env.BENCH_PEER_PYTHON ?? DEFAULT_PYTHON;
  try {
    const { stdout } = await run(python, [
      "-c",
      'import platform, django, gunicorn; print(f"Django {django.get_version()}, gunicorn {gunicorn.__version__}, Python {platform.python_version()}")',
    ]);
    return { python, versions: stdout.trim() };
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    const reason =
      code === "ENOENT" ? "not found" : (stderr?.trim().split("\n").at(-1) ?? "cannot import django and gunicorn");
    return { skipped: `${python}: ${reason} (apt-get install python3-django gunicorn)` };
  }
}

/** The environment the peer's manage.py and gunicorn run with. */
export function djangoPeerEnv(databasePath: string, secretKey: string, workers: string): Record<string, string> {
  return {
    DJANGO_SECRET_KEY: secretKey,
    DJANGO_DB_PATH: databasePath,
    DJANGO_ALLOWED_HOST: "127.0.0.1",
    GUNICORN_WORKERS: workers,
  };
}

/** Creates the peer's tables and its lists; returns the lists' ids. */
export async function migrateAndSeedDjangoPeer(
  peer: DjangoPeer,
  env: Record<string, string>,
): Promise<Omit<PeerSeed, "csrfToken" | "homePage">> {
  const options = { cwd: PEER_DIR, env: { ...process.env, ...env } };
  await run(peer.python, ["manage.py", "migrate", "--verbosity", "0"], options);
  const { stdout } = await run(peer.python, ["manage.py", "seed_bench"], options);
  return JSON.parse(stdout) as Omit<PeerSeed, "csrfToken" | "homePage">;
}

/** gunicorn's command line, as the book deploys the app (its workers and port in the environment). */
export function gunicornArgs(): string[] {
  return ["-m", "gunicorn", "--chdir", PEER_DIR, "--config", resolve(PEER_DIR, "gunicorn.conf.py"), "superlists.wsgi"];
}

/** The first visit's page and CSRF token, with the seeded lists. */
export async function peerSeed(url: string, lists: Omit<PeerSeed, "csrfToken" | "homePage">): Promise<PeerSeed> {
  return { ...(await csrfTokenAndHome(url, DJANGO_CSRF)), ...lists };
}
