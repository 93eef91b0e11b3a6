#!/usr/bin/env bash
# Offline checks of infra/: playbook syntax, env-file template rendering, the
# playbook's structure, and the EMAIL_PASSWORD preflight guard. Only localhost
# is ever contacted. Run from anywhere: tests/infra/check-infra.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
PLAYBOOK=infra/deploy-playbook.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_PYTHON_INTERPRETER=auto_silent ANSIBLE_LOCAL_TEMP="$TMP/ansible-tmp"

passed=0
failed=0
pass() {
  passed=$((passed + 1))
  echo "ok   $1"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
  if [[ -n "${2:-}" ]]; then sed 's/^/     | /' <<<"$2"; fi
}

# 1. Syntax.
if output=$(ansible-playbook --syntax-check -i infra/inventory.example.ini "$PLAYBOOK" 2>&1); then
  pass "playbook syntax"
else
  fail "playbook syntax" "$output"
fi

# 2. The env file template, rendered by Ansible itself. The password holds
# characters a shell or a quoting mistake would mangle.
password='p@ss w0rd#$x'
vars=$(printf '{"host": "staging.example.com", "secret_key": "test-secret-key-0123456789abcdef0123456789", "email_password": "%s", "email_host": "smtp.example.com", "email_host_user": "noreply@example.com"}' "$password")
if output=$(ansible localhost -c local -m ansible.builtin.template -a "src=infra/env.j2 dest=$TMP/env" -e "$vars" 2>&1); then
  rendered=$(cat "$TMP/env")
  for line in \
    "SUPERLISTS_ENV=production" \
    "SECRET_KEY=test-secret-key-0123456789abcdef0123456789" \
    "ALLOWED_HOSTS=staging.example.com" \
    "EMAIL_HOST=smtp.example.com" \
    "EMAIL_HOST_USER=noreply@example.com" \
    "EMAIL_PASSWORD=$password"; do
    if grep -qxF -- "$line" <<<"$rendered"; then pass "env.j2 renders: $line"; else fail "env.j2 renders: $line" "$rendered"; fi
  done
  if grep -qE '\{\{|\{%|\}\}' <<<"$rendered"; then
    fail "env.j2 leaves no template syntax behind" "$rendered"
  else
    pass "env.j2 leaves no template syntax behind"
  fi
  # docker --env-file wants bare KEY=value lines (comments allowed), never quoted values.
  if bad=$(grep -vE '^(#.*|[A-Z_]+=[^"'\''].*|[A-Z_]+=)$' <<<"$rendered"); then
    fail "env.j2 renders only KEY=value lines" "$bad"
  else
    pass "env.j2 renders only KEY=value lines"
  fi
else
  fail "env.j2 renders" "$output"
fi
if grep -q '^EMAIL_CAPTURE_DIR=' "$TMP/env" 2>/dev/null; then
  fail "env.j2 captures no emails by default" "$(cat "$TMP/env")"
else
  pass "env.j2 captures no emails by default"
fi
staging_vars=${vars%\}}', "superlists_role": "staging", "email_capture_dir": "/data/emails"}'
if ansible localhost -c local -m ansible.builtin.template -a "src=infra/env.j2 dest=$TMP/staging.env" -e "$staging_vars" >/dev/null 2>&1 &&
  grep -qx 'SUPERLISTS_ENV=staging' "$TMP/staging.env" && grep -qx 'EMAIL_CAPTURE_DIR=/data/emails' "$TMP/staging.env"; then
  pass "env.j2 renders a staging role with a capture dir when asked"
else
  fail "env.j2 renders a staging role with a capture dir when asked" "$(cat "$TMP/staging.env" 2>/dev/null)"
fi

# The nginx site, rendered, and checked by nginx itself where it is installed.
if output=$(ansible localhost -c local -m ansible.builtin.template -a "src=infra/nginx-site.conf.j2 dest=$TMP/site.conf" \
  -e '{"upstream_port": 8001, "proxy_listen": "127.0.0.1:18080", "allowed_host": "staging.example.com"}' 2>&1) &&
  grep -qF 'server 127.0.0.1:8001;' "$TMP/site.conf" && grep -qF 'proxy_set_header Host $http_host;' "$TMP/site.conf"; then
  pass "nginx-site.conf.j2 renders an upstream on the release's port, passing Host with its port"
  if command -v nginx >/dev/null; then
    printf 'pid %s/nginx.pid;\nerror_log stderr;\nevents {}\nhttp { include %s/site.conf; }\n' "$TMP" "$TMP" >"$TMP/nginx.conf"
    if output=$(nginx -t -q -c "$TMP/nginx.conf" 2>&1); then
      pass "nginx -t accepts the rendered site"
    else
      fail "nginx -t accepts the rendered site" "$output"
    fi
  fi
else
  fail "nginx-site.conf.j2 renders" "$output"
fi

# The load balancer's site with HTTPS, its HAProxy checking the app hosts, and each app
# host's HAProxy to the database, checked by nginx and haproxy themselves where installed.
mkdir -p "$TMP/live"
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=superlists.example.com \
    -keyout "$TMP/live/privkey.pem" -out "$TMP/live/fullchain.pem" 2>/dev/null
fi
edge_vars=$(printf '{"with_tls": true, "edge_haproxy_port": 8090, "http_listen": "127.0.0.1:18081", "https_listen": "127.0.0.1:18443", "https_port": "18443", "domain": "superlists.example.com", "edge_dir": "%s", "certificate_dir": "%s/live", "hsts_max_age": 31536000}' "$TMP" "$TMP")
if output=$(ansible localhost -c local -m ansible.builtin.template -a "src=infra/edge-site.conf.j2 dest=$TMP/edge.conf" -e "$edge_vars" 2>&1) &&
  grep -qF 'server 127.0.0.1:8090;' "$TMP/edge.conf" && grep -qF 'return 301 https://$host:18443$request_uri;' "$TMP/edge.conf" &&
  grep -qF 'ssl_protocols TLSv1.2 TLSv1.3;' "$TMP/edge.conf" && grep -qF 'Strict-Transport-Security' "$TMP/edge.conf"; then
  pass "edge-site.conf.j2 renders the local HAProxy as upstream, the redirect to HTTPS, TLS 1.2+ and HSTS"
  if command -v nginx >/dev/null && [ -f "$TMP/live/fullchain.pem" ]; then
    printf 'pid %s/edge-nginx.pid;\nerror_log stderr;\nevents {}\nhttp { include %s/edge.conf; }\n' "$TMP" "$TMP" >"$TMP/edge-nginx.conf"
    if output=$(nginx -t -q -c "$TMP/edge-nginx.conf" 2>&1); then pass "nginx -t accepts the load balancer's site"; else fail "nginx -t accepts the load balancer's site" "$output"; fi
  fi
else
  fail "edge-site.conf.j2 renders" "$output$(cat "$TMP/edge.conf" 2>/dev/null)"
fi
# (groups and hostvars come from an inventory: two [app] hosts, one with its nginx on an
# address of its own, and a two-host [database] group.)
printf '[app]\napp1 host_address=10.0.0.1 proxy_listen=8080\napp2 host_address=10.0.0.2 proxy_listen=10.0.2.2:8081\n' >"$TMP/app.ini"
printf -- '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n    - ansible.builtin.template: {src: %s/infra/haproxy-edge.cfg.j2, dest: %s/haproxy-edge.cfg}\n' "$(pwd)" "$TMP" >"$TMP/haproxy-edge-render.yaml"
if output=$(ansible-playbook -i "$TMP/app.ini" "$TMP/haproxy-edge-render.yaml" -e "{\"edge_haproxy_port\": 8090, \"edge_haproxy_dir\": \"$TMP\", \"domain\": \"superlists.example.com\"}" 2>&1) &&
  grep -qF 'bind 127.0.0.1:8090' "$TMP/haproxy-edge.cfg" && grep -qF 'option httpchk GET /readyz' "$TMP/haproxy-edge.cfg" &&
  grep -qF 'http-check expect status 200' "$TMP/haproxy-edge.cfg" && grep -qF 'hdr Retry-After' "$TMP/haproxy-edge.cfg" &&
  grep -qxF '    server app1 10.0.0.1:8080' "$TMP/haproxy-edge.cfg" && grep -qxF '    server app2 10.0.2.2:8081' "$TMP/haproxy-edge.cfg"; then
  pass "haproxy-edge.cfg.j2 listens on 127.0.0.1 only and sends requests to the app hosts whose /readyz answers 200, else a 503 with Retry-After"
  if command -v haproxy >/dev/null; then
    if output=$(haproxy -c -q -f "$TMP/haproxy-edge.cfg" 2>&1); then pass "haproxy -c accepts it"; else fail "haproxy -c accepts it" "$output"; fi
  fi
else
  fail "haproxy-edge.cfg.j2 renders" "$output$(cat "$TMP/haproxy-edge.cfg" 2>/dev/null)"
fi
printf '[database]\ndb1 host_address=10.0.1.1 postgres_port=5432 patroni_api_port=8008\ndb2 host_address=10.0.1.2 postgres_port=5432 patroni_api_port=8008\n' >"$TMP/database.ini"
printf -- '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n    - ansible.builtin.template: {src: %s/infra/haproxy-database.cfg.j2, dest: %s/haproxy.cfg}\n' "$(pwd)" "$TMP" >"$TMP/haproxy-render.yaml"
if output=$(ansible-playbook -i "$TMP/database.ini" "$TMP/haproxy-render.yaml" -e '{"release_address": "127.0.0.1", "database_endpoint_port": 5000}' 2>&1) &&
  grep -qF 'option httpchk GET /primary' "$TMP/haproxy.cfg" && grep -qF 'server db2 10.0.1.2:5432 check port 8008' "$TMP/haproxy.cfg"; then
  pass "haproxy-database.cfg.j2 sends the app to whichever database host Patroni says is the primary"
  if command -v haproxy >/dev/null; then
    if output=$(haproxy -c -q -f "$TMP/haproxy.cfg" 2>&1); then pass "haproxy -c accepts it"; else fail "haproxy -c accepts it" "$output"; fi
  fi
else
  fail "haproxy-database.cfg.j2 renders" "$output"
fi

# 3. What the playbook does, read from its YAML (no host needed).
if output=$(python3 - "$PLAYBOOK" <<'EOF' 2>&1
import sys
import yaml

ENGINE = "{{ container_engine }}"
plays = yaml.safe_load(open(sys.argv[1]))

def flatten(tasks):
    for task in tasks:
        if "block" in task:
            for part in ("block", "rescue", "always"):
                yield from flatten(task.get(part, []))
        else:
            yield task

tasks = list(flatten(task for play in plays for task in play.get("tasks", [])))
problems = []

def module_tasks(name):
    return [task for task in tasks if f"ansible.builtin.{name}" in task]

def argv(task):
    # A list, or one Jinja expression building the list (when parts are variables).
    words = task["ansible.builtin.command"].get("argv", [])
    return " ".join(words) if isinstance(words, list) else words

if any(key.startswith(("community.", "docker_")) for task in tasks for key in task):
    problems.append("uses modules beyond ansible-core")
unqualified = [task["name"] for task in tasks
               if not any(key.startswith("ansible.builtin.") for key in task)]
if unqualified:
    problems.append(f"tasks without a fully qualified ansible.builtin module: {unqualified}")
preflight = plays[0]
if preflight.get("hosts") != "localhost" or "preflight" not in preflight.get("tags", []):
    problems.append("the first play must be the localhost-only play tagged preflight")
templates = {t["ansible.builtin.template"].get("src"): t["ansible.builtin.template"] for t in module_tasks("template")}
if str(templates.get("env.j2", {}).get("mode")) != "0600":
    problems.append("env.j2 must be written with mode 0600")
if "nginx-site.conf.j2" not in templates:
    problems.append("no task writes the nginx site (nginx-site.conf.j2)")
if not any("secret_key_file" in str(t["ansible.builtin.shell"].get("creates", ""))
           and "secret_key_file" in str(t["ansible.builtin.shell"].get("cmd", ""))
           for t in module_tasks("shell")):
    problems.append("the secret key must be generated on the server only when missing (shell with creates:)")
commands = [argv(task) for task in module_tasks("command")]
if any(c.startswith(("docker ", "podman ")) for c in commands):
    problems.append("a container command names its engine instead of {{ container_engine }}")
run = next((c for c in commands if "'run', '--detach'" in c), "")
for flag in ("--env-file=", "--restart=unless-stopped", "dst=/data", "release_network_args"):
    if flag not in run:
        problems.append(f"the release's run command lacks {flag}")
facts = " ".join(str(t["ansible.builtin.set_fact"]) for t in module_tasks("set_fact"))
if "--publish=127.0.0.1:" not in facts:
    problems.append("releases must publish their port on 127.0.0.1 only (nginx is their front)")
for expected in ("save", "load", "stop"):
    if not any(c.startswith(f"{ENGINE} {expected} ") for c in commands):
        problems.append(f"no `{ENGINE} {expected}` task")
if not any(c.startswith(f"{ENGINE} exec") and c.endswith("superlists check --deploy --smtp") for c in commands):
    problems.append("no `exec ... superlists check --deploy --smtp` task (a real SMTP login)")
if not any("migrate" in c and "'run', '--rm'" in c for c in commands):
    problems.append("no task runs the migrations")
ready = next((i for i, t in enumerate(tasks) if "/readyz" in str(t.get("ansible.builtin.uri", {}).get("url", ""))), None)
switch = next((i for i, t in enumerate(tasks) if "-s reload" in str(t.get("ansible.builtin.shell", {}).get("cmd", ""))), None)
if ready is None or switch is None or ready > switch:
    problems.append("nginx must be switched (reload) only after the new release passed /readyz")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
); then
  pass "playbook structure: localhost preflight, 0600 env file, kept secret key, engine a variable, save/load, migrations, /readyz before the nginx switch, check --deploy --smtp"
else
  fail "playbook structure" "$output"
fi

# 4. The EMAIL_PASSWORD guard, run for real: only the localhost preflight play.
preflight() {
  ansible-playbook -i 'localhost,' -c local --tags preflight "$PLAYBOOK" 2>&1
}
guard_message="EMAIL_PASSWORD is empty"
if output=$(EMAIL_PASSWORD="" preflight); then
  fail "preflight fails when EMAIL_PASSWORD is empty" "$output"
elif grep -qF "$guard_message" <<<"$output"; then
  pass "preflight fails when EMAIL_PASSWORD is empty, saying so"
else
  fail "preflight fails when EMAIL_PASSWORD is empty, saying so" "$output"
fi
if output=$(
  unset EMAIL_PASSWORD
  preflight
); then
  fail "preflight fails when EMAIL_PASSWORD is unset" "$output"
elif grep -qF "$guard_message" <<<"$output"; then
  pass "preflight fails when EMAIL_PASSWORD is unset, saying so"
else
  fail "preflight fails when EMAIL_PASSWORD is unset, saying so" "$output"
fi
if output=$(EMAIL_PASSWORD="$password" preflight); then
  pass "preflight passes when EMAIL_PASSWORD is set"
else
  fail "preflight passes when EMAIL_PASSWORD is set" "$output"
fi

# 5. A full run stops at the guard, before the deploy play. The stub server is
# 127.0.0.1 on the discard port, so even a broken guard contacts only localhost.
cat >"$TMP/inventory.ini" <<'EOF'
[app]
stub-server ansible_host=127.0.0.1 ansible_port=9 ansible_connection=ssh
EOF
if output=$(EMAIL_PASSWORD="" ansible-playbook -i "$TMP/inventory.ini" "$PLAYBOOK" 2>&1); then
  fail "a full run with no EMAIL_PASSWORD stops before deploying" "$output"
elif grep -qF "$guard_message" <<<"$output" && ! grep -qF "PLAY [Deploy Superlists]" <<<"$output"; then
  pass "a full run with no EMAIL_PASSWORD stops before deploying"
else
  fail "a full run with no EMAIL_PASSWORD stops before deploying" "$output"
fi

echo "infra checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
