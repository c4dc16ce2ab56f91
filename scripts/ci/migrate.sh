#!/usr/bin/env bash
# Usage: scripts/ci/migrate.sh test|prod REGISTRY SHA [TIMEOUT_SECONDS]
# Runs Job db-migrate (the backend image, node dist/db/cli-migrate.js) from the overlay with
# the new images and waits for it. Fails, with the Job's logs, if it fails or times out.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -ge 3 && $# -le 4 ]] || die "usage: $0 test|prod REGISTRY SHA [TIMEOUT_SECONDS]"
env="$1" registry="$2" sha="$3" timeout="${4:-300}"
require_sha "$sha"
ns="$(namespace_for "$env")"
use_cluster

job="$(render "$env" "$registry" "$sha" | node "$CI_ROOT/scripts/ci/lib/manifests.mjs" pick Job db-migrate)"
# A Job's pod template is immutable: replace the previous run.
kubectl -n "$ns" delete job db-migrate --ignore-not-found --wait=true
printf '%s\n' "$job" | kubectl apply -f -

log "waiting up to ${timeout}s for job/db-migrate in $ns"
deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
  succeeded="$(kubectl -n "$ns" get job db-migrate -o jsonpath='{.status.succeeded}')"
  failed="$(kubectl -n "$ns" get job db-migrate -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}')"
  if [[ "${succeeded:-0}" -ge 1 ]]; then
    kubectl -n "$ns" logs job/db-migrate --tail=50 || true
    log "migrations applied"
    exit 0
  fi
  if [[ "$failed" == "True" ]]; then break; fi
  sleep 5
done
kubectl -n "$ns" logs job/db-migrate --tail=200 || true
die "job/db-migrate did not complete in $ns"
