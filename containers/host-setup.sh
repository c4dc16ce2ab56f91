#!/usr/bin/env bash
# Usage: containers/host-setup.sh [--check]
# The podman settings the container suite needs on a Debian 12 machine without
# systemd, written once to a drop-in of their own (other podman users keep their
# configuration; nothing else in /etc/containers is touched). Says what it changed;
# safe to run again. --check only says whether the drop-in is current (exit 1 if not).
#   runtime = "runc"        crun refuses a hybrid cgroup v1/v2 layout such machines have
#   default_ulimits         podman's default open-files limit (1048576) is above the hard
#                           limit a process may have here; containers get the hard limit
#   network_backend         netavark + aardvark-dns: service names resolve on networks
#   init_path               catatonit for compose's `init: true`
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
dropin=/etc/containers/containers.conf.d/50-tradepost-container-suite.conf

nofile=$(ulimit -Hn)
if [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ]; then nofile=1048576; fi
nproc=$(ulimit -Hu)
if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
init=$(command -v catatonit || echo /usr/libexec/podman/catatonit)

wanted="# Written by containers/host-setup.sh (Tradepost's container suite); delete to undo.
[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]
init_path = \"$init\"

[engine]
runtime = \"runc\"

[network]
network_backend = \"netavark\""

if [ -f "$dropin" ] && [ "$(cat "$dropin")" = "$wanted" ]; then
  say "podman settings: $dropin is current"
  exit 0
fi
if [ "${1:-}" = --check ]; then
  warn "podman settings: $dropin is missing or out of date (run containers/host-setup.sh as root)"
  exit 1
fi
[ "$(id -u)" = 0 ] || die "podman settings: writing $dropin needs root"
mkdir -p "$(dirname "$dropin")"
if [ -f "$dropin" ]; then
  say "podman settings: updating $dropin:"
  diff <(cat "$dropin") <(echo "$wanted") | sed 's/^/    /' || true
else
  say "podman settings: wrote $dropin (runc; ulimits nofile=$nofile nproc=$nproc; netavark; init $init)"
fi
printf '%s\n' "$wanted" >"$dropin"
