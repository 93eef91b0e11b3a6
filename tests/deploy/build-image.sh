#!/usr/bin/env bash
# Builds the repository's Dockerfile, unmodified, with podman (docker when there
# is no podman): HEALTHCHECK kept, the base image from local storage only.
#   tests/deploy/build-image.sh TAG [BUILD OPTIONS...]
# A machine whose HTTPS goes through an intercepting proxy trusts its CA through
# NODE_EXTRA_CA_CERTS, which the build's RUN steps do not see (`npm ci` then fails
# SELF_SIGNED_CERT_IN_CHAIN): that bundle is mounted for the build only, with an npmrc
# naming it where npm reads its global config (/usr/local/etc/npmrc), so no layer
# keeps it. BUILD_CA_FILE overrides NODE_EXTRA_CA_CERTS.
set -euo pipefail
cd "$(dirname "$0")/../.."

tag=$1
shift
ca_file=${BUILD_CA_FILE:-${NODE_EXTRA_CA_CERTS:-}}
engine=podman
command -v podman >/dev/null || engine=docker

# podman defaults to OCI images, which have no HEALTHCHECK; docker builds docker images.
args=(--tag "$tag" --network host)
[ "$engine" = podman ] && args+=(--pull=never --format docker)
# (docker build has no --volume: there the daemon's own trust store applies.)
if [ "$engine" = podman ] && [ -n "$ca_file" ] && [ -f "$ca_file" ]; then
  build_etc=$(mktemp -d "${TMPDIR:-/tmp}/superlists-build-etc.XXXXXX")
  trap 'rm -rf "$build_etc"' EXIT
  system_ca=/etc/ssl/certs/ca-certificates.crt
  { if [ -f "$system_ca" ] && ! [ "$system_ca" -ef "$ca_file" ]; then cat "$system_ca"; fi; cat "$ca_file"; } \
    >"$build_etc/ca-certificates.crt"
  echo "cafile=/usr/local/etc/ca-certificates.crt" >"$build_etc/npmrc"
  chmod 755 "$build_etc"
  args+=(--volume "$build_etc:/usr/local/etc:ro")
fi
"$engine" build "${args[@]}" "$@" .
