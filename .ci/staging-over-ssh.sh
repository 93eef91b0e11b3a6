#!/usr/bin/env bash
# The chapter's staging run, on this machine: a production-mode ("staging")
# server with a real SMTP server that demands a password, reached by the
# functional tests over a real sshd as a real deployment would be. Runs the
# whole functional suite against it, proves the production refusal over ssh,
# and checks the server shuts down cleanly. Everything listens on 127.0.0.1 and
# lives in one temp dir, removed at the end. The server and the CLI run the
# production bundle (`npm run build`), as the Docker image does. Needs root (sshd),
# /usr/sbin/sshd, and Node 24 first on PATH with `npm ci` done.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
node_bin=$(command -v node)

step() { printf '\n==> staging: %s\n' "$*"; }
fail() {
  printf 'staging: FAILED: %s\n' "$*" >&2
  exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/superlists-staging.XXXXXX")
sshd_pid='' sink_pid='' server_pid=''

show_logs() {
  local name
  for name in server sshd smtp-sink; do
    if [ -s "$tmp/$name.log" ]; then
      printf '\n--- last lines of the %s log ---\n' "$name" >&2
      tail -n 40 "$tmp/$name.log" >&2
    fi
  done
}

stop() { # PID: SIGTERM, then wait for it (bounded), SIGKILL if it hangs; returns its exit status
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid"
}

cleanup() {
  local status=$?
  set +e
  [ "$status" -eq 0 ] || show_logs
  for pid in "$server_pid" "$sshd_pid" "$sink_pid"; do
    [ -n "$pid" ] && stop "$pid" >/dev/null 2>&1
  done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/support/throwaway-sshd.sh
. "$repo/tests/support/throwaway-sshd.sh"

wait_for() { # SECONDS PID DESCRIPTION COMMAND...: poll COMMAND until it succeeds, while PID lives
  local limit=$1 pid=$2 what=$3
  local deadline=$((SECONDS + limit))
  shift 3
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "$what: the process exited"
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not ready after ${limit}s"
    sleep 0.2
  done
}

random_secret() { node -e 'console.log(require("node:crypto").randomBytes(32).toString("base64url"))'; }

step "sshd on 127.0.0.1 with keys made now"
mkdir -p "$tmp/remote-home"
# An empty home: root's own shell start-up (pyenv here) cost seconds per fixture command.
start_throwaway_sshd "$tmp" client_key "SetEnv HOME=$tmp/remote-home"
wait_for 10 "$sshd_pid" "sshd" ssh "${ssh_opts[@]}" root@127.0.0.1 true

step "SMTP server that demands AUTH"
smtp_user=superlists-staging
smtp_password=$(random_secret)
SMTP_SINK_USER=$smtp_user SMTP_SINK_PASSWORD=$smtp_password \
  node tests/staging/smtp-sink.ts >"$tmp/smtp.port" 2>"$tmp/smtp-sink.log" &
sink_pid=$!
wait_for 15 "$sink_pid" "SMTP sink" test -s "$tmp/smtp.port"
smtp_port=$(head -n 1 "$tmp/smtp.port")

step "the production bundle (npm run build)"
npm run build --silent

step "the staging env file and the \`superlists\` a deployment puts on PATH"
app_port=$(free_port)
(
  umask 077
  cat >"$tmp/staging.env" <<EOF
SUPERLISTS_ENV=staging
SECRET_KEY=$(random_secret)
ALLOWED_HOSTS=127.0.0.1,localhost
HOST=127.0.0.1
PORT=$app_port
DATABASE_URL=sqlite:$tmp/staging.sqlite3
EMAIL_BACKEND=smtp
EMAIL_HOST=127.0.0.1
EMAIL_PORT=$smtp_port
EMAIL_HOST_USER=$smtp_user
EMAIL_PASSWORD=$smtp_password
EMAIL_CAPTURE_DIR=$tmp/emails
LOG_LEVEL=info
EOF
)
mkdir -p "$tmp/bin"
# $1 name, $2 extra variables set after the env file (an ssh session has neither them nor Node 24 on PATH).
write_cli() {
  cat >"$tmp/bin/$1" <<EOF
#!/bin/sh
set -a
. '$tmp/staging.env'
$2
set +a
cd '$repo'
exec '$node_bin' dist/main.js "\$@"
EOF
  chmod 755 "$tmp/bin/$1"
}
write_cli superlists ''
# The same server's data, but the CLI told it is production: a tester's worst mistake.
write_cli superlists-production 'SUPERLISTS_ENV=production'

step "the staging server (production mode): migrate creates its database, then serve"
# Production mode never creates a missing database file by itself (a wrong path or an
# unmounted volume would otherwise start an empty site): the deploy runs migrate first.
"$tmp/bin/superlists" migrate >"$tmp/migrate.log" 2>&1 || fail "superlists migrate: $(cat "$tmp/migrate.log")"
"$tmp/bin/superlists" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
base_url="http://127.0.0.1:$app_port"
wait_for 30 "$server_pid" "staging server /readyz" curl -fsS "$base_url/readyz"

step "deployment checks, with a real SMTP login"
"$tmp/bin/superlists" check --deploy --smtp
# ...and the same check fails on a wrong password, so the login above was real.
if (set -a && . "$tmp/staging.env" && EMAIL_PASSWORD=wrong "$node_bin" dist/main.js check --smtp) \
  >"$tmp/wrong-password.out" 2>&1; then
  cat "$tmp/wrong-password.out"
  fail "check --smtp passed with a wrong EMAIL_PASSWORD"
fi
grep -q '^FAIL smtp: SMTP login' "$tmp/wrong-password.out" || {
  cat "$tmp/wrong-password.out"
  fail "check --smtp did not report the failed SMTP login"
}

step "the whole functional suite, over ssh"
export TEST_SERVER="127.0.0.1:$app_port"
export TEST_TRANSPORT="ssh:root@127.0.0.1:$ssh_port"
export TEST_SSH_KEY="$tmp/client_key"
export TEST_SSH_KNOWN_HOSTS="$tmp/known_hosts"
export TEST_REMOTE_CLI="$tmp/bin/superlists"
# Kept apart from the local runs' results; a failure's screenshots and traces stay here.
export PLAYWRIGHT_HTML_OUTPUT_DIR=playwright-report/staging
npx playwright test --output test-results/staging

step "production is refused over ssh, and its data survives"
remote() { ssh "${ssh_opts[@]}" root@127.0.0.1 "$@"; }
session=$(remote "$tmp/bin/superlists" create-session survivor@example.com)
logged_in() {
  curl -fsS -H "Cookie: sessionid=$session" "$base_url/" | grep -q 'Logged in as survivor@example.com'
}
logged_in || fail "a session made over ssh does not log in"
set +e
remote "$tmp/bin/superlists-production" flush --no-input 2>"$tmp/refusal.err"
status=$?
set -e
cat "$tmp/refusal.err"
[ "$status" -eq 3 ] || fail "flush as production over ssh exited $status, not 3"
grep -q 'refuses to run when SUPERLISTS_ENV=production' "$tmp/refusal.err" || fail "no refusal message"
logged_in || fail "data was lost after the refused flush"
# The suite itself refuses a target reporting production, before touching it.
if TEST_REMOTE_CLI="$tmp/bin/superlists-production" npx playwright test --output "$tmp/refused-results" \
  --reporter=line login.spec.ts >"$tmp/refused-suite.out" 2>&1; then
  cat "$tmp/refused-suite.out"
  fail "the functional suite ran against a target reporting production"
fi
grep -q 'refusing to run functional tests against' "$tmp/refused-suite.out" || {
  cat "$tmp/refused-suite.out"
  fail "the functional suite failed, but not by refusing production"
}
logged_in || fail "data was lost after the refused suite"
echo "refused: flush exited 3, the suite refused production, the data is still there"

step "graceful shutdown"
stop "$server_pid" || fail "the server did not exit 0 on SIGTERM"
server_pid=''
grep -q '"msg":"shut down cleanly"' "$tmp/server.log" || fail "no clean shutdown in the server log"
echo "the server exited 0 after SIGTERM"
