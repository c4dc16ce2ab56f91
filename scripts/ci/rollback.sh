#!/usr/bin/env bash
# Usage: scripts/ci/rollback.sh test|prod [TIMEOUT_SECONDS]
# Returns backend, frontend and nginx to their previous ReplicaSet and waits for it.
# Database migrations are not reverted: they are written expand-then-contract, so the
# previous release runs on the newer schema.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 test|prod [TIMEOUT_SECONDS]"
ns="$(namespace_for "$1")"
timeout="${2:-300}"
use_cluster

status=0
for deployment in "${CI_DEPLOYMENTS[@]}"; do
  log "rolling back deployment/$deployment in $ns"
  kubectl -n "$ns" rollout undo "deployment/$deployment" || status=1
done
for deployment in "${CI_DEPLOYMENTS[@]}"; do
  kubectl -n "$ns" rollout status "deployment/$deployment" --timeout="${timeout}s" || status=1
done
exit "$status"
