#!/usr/bin/env bash
# Usage: scripts/ci/container-tests.sh
# The container suite (npm run test:containers, containers/README.md): the three images
# built from the real Dockerfiles and run under rootful podman, which needs root. As root it
# runs the suite itself; as the build agent's user, through the one sudo rule the Ansible
# role build_agent grants it: /usr/local/sbin/tradepost-container-suite, no arguments, which
# runs this checkout's suite and hands the workspace back to that user. Exit code is the suite's.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ $# -eq 0 ] || {
  echo "usage: $0 (no arguments)" >&2
  exit 2
}
if [ "$(id -u)" = 0 ]; then
  exec npm run test:containers
fi
exec sudo -n /usr/local/sbin/tradepost-container-suite
