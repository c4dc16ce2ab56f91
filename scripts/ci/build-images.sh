#!/usr/bin/env bash
# Usage: scripts/ci/build-images.sh REGISTRY SHA
# Builds tradepost-{backend,frontend,nginx} from the repo root, tagged REGISTRY/NAME:SHA.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 2 ]] || die "usage: $0 REGISTRY SHA"
registry="$1" sha="$2"
require_sha "$sha"

for image in "${CI_IMAGES[@]}"; do
  dir="${image#tradepost-}"
  log "building $registry/$image:$sha"
  docker build --pull \
    --file "$CI_ROOT/$dir/Dockerfile" \
    --label "org.opencontainers.image.revision=$sha" \
    --label "org.opencontainers.image.source=${GIT_URL:-local}" \
    --tag "$registry/$image:$sha" \
    "$CI_ROOT"
done
