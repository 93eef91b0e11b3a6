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

# 3. What the playbook does, read from its YAML (no host needed).
if output=$(python3 - "$PLAYBOOK" <<'EOF' 2>&1
import sys
import yaml

plays = yaml.safe_load(open(sys.argv[1]))
tasks = [task for play in plays for task in play.get("tasks", [])]
problems = []

def module_tasks(name):
    return [task for task in tasks if f"ansible.builtin.{name}" in task]

def argv(task):
    return " ".join(task["ansible.builtin.command"].get("argv", []))

if any(key.startswith(("community.", "docker_")) for task in tasks for key in task):
    problems.append("uses modules beyond ansible-core")
unqualified = [task["name"] for task in tasks
               if not any(key.startswith("ansible.builtin.") for key in task)]
if unqualified:
    problems.append(f"tasks without a fully qualified ansible.builtin module: {unqualified}")
preflight = plays[0]
if preflight.get("hosts") != "localhost" or "preflight" not in preflight.get("tags", []):
    problems.append("the first play must be the localhost-only play tagged preflight")
templates = [t["ansible.builtin.template"] for t in module_tasks("template")
             if t["ansible.builtin.template"].get("src") == "env.j2"]
if not templates or str(templates[0].get("mode")) != "0600":
    problems.append("env.j2 must be written with mode 0600")
if not any("secret_key_file" in str(t["ansible.builtin.shell"].get("creates", ""))
           and "secret_key_file" in str(t["ansible.builtin.shell"].get("cmd", ""))
           for t in module_tasks("shell")):
    problems.append("the secret key must be generated on the server only when missing (shell with creates:)")
commands = [argv(task) for task in module_tasks("command")]
run = next((c for c in commands if c.startswith("docker run")), "")
for flag in ("--env-file=", "--restart=unless-stopped", "--publish=80:8888", "dst=/data"):
    if flag not in run:
        problems.append(f"docker run lacks {flag}")
for expected in ("docker save", "docker load"):
    if not any(c.startswith(expected) for c in commands):
        problems.append(f"no {expected} task")
if not any(c.startswith("docker exec") and c.endswith("superlists check --deploy --smtp") for c in commands):
    problems.append("no `docker exec ... superlists check --deploy --smtp` task (a real SMTP login)")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
); then
  pass "playbook structure: localhost preflight, 0600 env file, kept secret key, docker save/load/run, check --deploy --smtp"
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
[superlists]
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
