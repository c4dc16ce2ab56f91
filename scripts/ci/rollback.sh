#!/usr/bin/env bash
# Usage: scripts/ci/rollback.sh test|prod [TIMEOUT_SECONDS]
# Returns backend, frontend and nginx to the revisions deploy.sh recorded before its last apply
# from this checkout (only those that release changed and still run it, whether the apply, the
# rollout or the smoke test failed) and waits for them. With no record nothing was applied from
# here, and nothing is rolled back. Database migrations are not reverted: they are written
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

if [[ ! -f "$record" ]]; then
  log "no release was applied from this checkout ($record): nothing to roll back"
  exit 0
fi
while IFS=$'\t' read -r deployment before sha; do
  now="$(deployment_revision "$ns" "$deployment")"
  images="$(kubectl -n "$ns" get "deployment/$deployment" --ignore-not-found \
    -o jsonpath='{.spec.template.spec.containers[*].image}')"
  if [[ "$before" == - ]]; then
    log "deployment/$deployment did not exist before this release; left as it is"
  elif [[ "$now" == "$before" ]]; then
    log "deployment/$deployment is still at revision $before"
  elif [[ " $images " != *":$sha "* ]]; then
    echo "error: deployment/$deployment runs '$images', not the recorded release $sha; left as it is" >&2
    status=1
  else
    log "rolling back deployment/$deployment in $ns from revision $now to $before"
    undo "$deployment" --to-revision="$before"
  fi
done <"$record"

for deployment in "${undone[@]}"; do
  kubectl -n "$ns" rollout status "deployment/$deployment" --timeout="${timeout}s" || status=1
done
# An undo is a new revision: record where the Deployments are now, so running this again
# changes nothing.
if [[ "$status" -eq 0 ]]; then
  while IFS=$'\t' read -r deployment _ sha; do
    printf '%s\t%s\t%s\n' "$deployment" "$(deployment_revision "$ns" "$deployment")" "$sha"
  done <"$record" >"$record.tmp"
  mv "$record.tmp" "$record"
fi
exit "$status"
