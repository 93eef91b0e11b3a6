#!/usr/bin/env bash
# Writes the configuration of a podman store of its own under DIR (images,
# containers, volumes, state and locks all inside DIR), so the rehearsal neither
# sees nor touches the machine's other containers, and removing DIR removes it all:
#   tests/deploy/podman-store.sh DIR   # then: CONTAINERS_CONF=DIR/containers.conf CONTAINERS_STORAGE_CONF=DIR/storage.conf podman ...
# The containers get default ulimits within what this kernel lets runc set: without
# CAP_SYS_RESOURCE, podman's defaults (nofile 1048576) fail "error setting rlimit".
set -euo pipefail

dir=$(mkdir -p "$1" && cd "$1" && pwd)
hard_nofile=$(ulimit -Hn)
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
soft_nofile=$((hard_nofile < 1024 ? hard_nofile : 1024))
hard_nproc=$(ulimit -Hu)
{ [ "$hard_nproc" = unlimited ] || [ "$hard_nproc" -gt 32768 ]; } && hard_nproc=32768

cat >"$dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/storage"
runroot = "$dir/run"
CONF

# CONTAINERS_CONF replaces the system's containers.conf: start from it (Debian's sets
# default capabilities and sysctls) and add our lines to its tables.
system_conf=/usr/share/containers/containers.conf
[ -f /etc/containers/containers.conf ] && system_conf=/etc/containers/containers.conf
containers_lines="default_ulimits = [\"nofile=$soft_nofile:$hard_nofile\", \"nproc=$hard_nproc:$hard_nproc\"]"
# tmp_dir holds the store's runtime state; file locks keep its lock numbers apart from
# other stores' (the default shared-memory locks are one set for the whole machine).
engine_lines="tmp_dir = \"$dir/libpod-tmp\"\nlock_type = \"file\"\nevents_logger = \"file\""
{ [ -f "$system_conf" ] && cat "$system_conf"; true; } | awk -v containers="$containers_lines" -v engine="$engine_lines" '
  { print }
  /^\[containers\][[:space:]]*$/ { print containers; c = 1 }
  /^\[engine\][[:space:]]*$/ { print engine; e = 1 }
  END {
    if (!c) { print "[containers]"; print containers }
    if (!e) { print "[engine]"; print engine }
  }
' >"$dir/containers.conf"
