#!/usr/bin/env bash
# Usage: scripts/install-test-deps.sh [--containers] [--check] [PROGRAM...]
# Installs (Debian/Ubuntu, as root) every system program in scripts/test-deps.txt that is
# missing: the "test" group always, the "containers" group with --containers. --check only
# lists what is missing and exits 1 if anything is. The "manual" group (Terraform, kubectl:
# not Debian packages) is never installed; a missing one is only named, with where to get it. PROGRAMs narrow it to those listed
# programs (an image that runs one suite needs only what that suite drives). Safe to run
# again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

groups=(test)
check=false
only=()
for arg in "$@"; do
  case "$arg" in
    --containers) groups+=(containers) ;;
    --check) check=true ;;
    -*) echo "usage: $0 [--containers] [--check] [PROGRAM...]" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done
for program in "${only[@]}"; do
  awk -v p="$program" '$1 == p { found = 1 } END { exit !found }' "$here/test-deps.txt" || {
    echo "$0: $program is not in scripts/test-deps.txt" >&2
    exit 2
  }
done

has() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/lib/podman/$1" ]
}

missing_programs=()
packages=()
while read -r program package group _; do
  case "$program" in '' | '#'*) continue ;; esac
  [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $program "* ]] || continue
  if [ "$group" = manual ]; then
    has "$program" || echo "not installed by this script: $program (get it from $package)" >&2
    continue
  fi
  [[ " ${groups[*]} " == *" $group "* ]] || continue
  has "$program" && continue
  missing_programs+=("$program")
  [[ " ${packages[*]} " == *" $package "* ]] || packages+=("$package")
done <"$here/test-deps.txt"

if [ ${#packages[@]} -eq 0 ]; then
  echo "test dependencies: all present (${groups[*]})"
  exit 0
fi
if $check; then
  echo "test dependencies missing: ${missing_programs[*]} (Debian packages: ${packages[*]})"
  exit 1
fi

echo "==> installing Debian packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
# Slim images drop the man directories; the JRE's postinst writes a man link and fails without.
mkdir -p /usr/share/man/man1
apt-get update -qq
# Quiet on success; on failure the whole apt log, not only dpkg's exit code.
log="$(mktemp)"
if ! apt-get install -y -qq --no-install-recommends "${packages[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
# Package installs may start system services; the suites start private instances.
for service in nginx prometheus prometheus-nginx-exporter; do
  if command -v systemctl >/dev/null 2>&1; then systemctl stop "$service" 2>/dev/null || true; fi
done
