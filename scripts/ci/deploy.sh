#!/usr/bin/env bash
# Usage: scripts/ci/deploy.sh test|prod REGISTRY SHA
# Applies the release (render: the overlay with the three images pinned to SHA, no Namespace)
# except Job db-migrate, which migrate.sh runs first. First records each Deployment's revision,
# so that rollback.sh can return exactly there if the apply, the rollout or the smoke test
# fails. Does not wait; rollout-wait.sh does.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 3 ]] || die "usage: $0 test|prod REGISTRY SHA"
env="$1" registry="$2" sha="$3"
require_sha "$sha"
ns="$(namespace_for "$env")"
use_cluster

split="$CI_ROOT/scripts/ci/lib/manifests.mjs"
manifests="$(render "$env" "$registry" "$sha" | node "$split" omit Job db-migrate)"

record="$(revisions_file "$env")"
mkdir -p "$(dirname "$record")"
: >"$record.tmp"
for deployment in "${CI_DEPLOYMENTS[@]}"; do
  printf '%s\t%s\t%s\n' "$deployment" "$(deployment_revision "$ns" "$deployment")" "$sha" >>"$record.tmp"
done
mv "$record.tmp" "$record"
log "recorded the running revisions in $record"

printf '%s\n' "$manifests" | kubectl apply -f -
log "applied $env at $sha"
