#!/usr/bin/env bash
# Usage: scripts/ci/rollout-wait.sh test|prod [TIMEOUT_SECONDS]
# Waits for Deployments backend, frontend and nginx to finish rolling out; fails at the deadline.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 test|prod [TIMEOUT_SECONDS]"
ns="$(namespace_for "$1")"
timeout="${2:-300}"
use_cluster

for deployment in "${CI_DEPLOYMENTS[@]}"; do
  log "waiting for deployment/$deployment in $ns"
  kubectl -n "$ns" rollout status "deployment/$deployment" --timeout="${timeout}s"
done
