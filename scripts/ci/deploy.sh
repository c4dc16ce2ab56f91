#!/usr/bin/env bash
# Usage: scripts/ci/deploy.sh test|prod REGISTRY SHA
# Applies the overlay with the three images pinned to SHA (Job db-migrate excluded: migrate.sh
# runs it first). Does not wait; rollout-wait.sh does.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 3 ]] || die "usage: $0 test|prod REGISTRY SHA"
env="$1" registry="$2" sha="$3"
require_sha "$sha"
namespace_for "$env" >/dev/null
use_cluster

manifests="$(render "$env" "$registry" "$sha" | node "$CI_ROOT/scripts/ci/lib/manifests.mjs" omit Job db-migrate)"
printf '%s\n' "$manifests" | kubectl apply -f -
log "applied $env at $sha"
