#!/usr/bin/env bash
# Usage: scripts/ci/rollback.sh test|prod [TIMEOUT_SECONDS]
# Returns backend, frontend and nginx to the revisions deploy.sh recorded before its apply
# (only those the release changed, whether the apply, the rollout or the smoke test failed) and
# waits for them. Without a record (deploy.sh never ran in this checkout), each goes back to its
# previous revision. Database migrations are not reverted: they are written
# expand-then-contract, so the previous release runs on the newer schema.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 test|prod [TIMEOUT_SECONDS]"
env="$1" timeout="${2:-300}"
ns="$(namespace_for "$env")"
use_cluster

record="$(revisions_file "$env")"
status=0
undone=()
undo() {
  if kubectl -n "$ns" rollout undo "deployment/$1" "${@:2}"; then undone+=("$1"); else status=1; fi
}

if [[ -f "$record" ]]; then
  while IFS=$'\t' read -r deployment before; do
    now="$(deployment_revision "$ns" "$deployment")"
    if [[ -z "$before" ]]; then
      log "deployment/$deployment did not exist before this release; left as it is"
    elif [[ "$now" == "$before" ]]; then
      log "deployment/$deployment is still at revision $before"
    else
      log "rolling back deployment/$deployment in $ns from revision $now to $before"
      undo "$deployment" --to-revision="$before"
    fi
  done <"$record"
else
  log "no record of a release in $record: rolling each deployment back to its previous revision"
  for deployment in "${CI_DEPLOYMENTS[@]}"; do undo "$deployment"; done
fi

for deployment in "${undone[@]}"; do
  kubectl -n "$ns" rollout status "deployment/$deployment" --timeout="${timeout}s" || status=1
done
# An undo is a new revision: record where the Deployments are now, so running this again
# changes nothing.
if [[ "$status" -eq 0 && -f "$record" ]]; then
  while IFS=$'\t' read -r deployment _; do
    printf '%s\t%s\n' "$deployment" "$(deployment_revision "$ns" "$deployment")"
  done <"$record" >"$record.tmp"
  mv "$record.tmp" "$record"
fi
exit "$status"
