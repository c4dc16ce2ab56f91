#!/usr/bin/env bash
# Usage: containers/base/debian.sh IMAGE
# A Debian 12 root filesystem made the way debian:bookworm-slim is (debootstrap
# --variant=minbase, the same apt sources and slimming dpkg rules), imported as IMAGE.
# Kept while its inputs (this script, the mirror) are unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
image=$1

input=$(inputs_hash "$0" "$DEBIAN_MIRROR" bookworm minbase)
if [ "$(image_input "$image")" = "$input" ]; then
  say "base $image: cached ($input)"
  exit 0
fi

say "base $image: debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
root=$(mktemp -d "${TMPDIR:-/tmp}/$SUITE_PREFIX-rootfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$DEBIAN_MIRROR" >"$root.log" 2>&1 || {
  tail -20 "$root.log" >&2
  rm -f "$root.log"
  die "debootstrap failed (is $DEBIAN_MIRROR reachable?)"
}
rm -f "$root.log"

# As in debian:bookworm-slim: deb822 sources with updates and security, no docs,
# man pages or translations installed, downloaded packages removed after each install.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/var/log/*.log

podman rmi --force "$image" >/dev/null 2>&1 || true
tar -C "$root" --numeric-owner -c . |
  podman import --change "LABEL $SUITE_LABEL=base" --change "LABEL $SUITE_LABEL.input=$input" \
    --change 'CMD ["bash"]' - "$image" >/dev/null
say "base $image: made ($input)"
