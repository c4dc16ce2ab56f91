#!/usr/bin/env bash
# Usage: scripts/ci/push-images.sh REGISTRY SHA
# Logs in and pushes the three images. An ECR registry (*.dkr.ecr.*.amazonaws.com) uses the
# machine's AWS role; any other registry (Docker Hub) needs REGISTRY_USER and REGISTRY_TOKEN.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 2 ]] || die "usage: $0 REGISTRY SHA"
registry="$1" sha="$2"
require_sha "$sha"

if [[ "$registry" =~ ^[0-9]{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$ ]]; then
  aws ecr get-login-password --region "${BASH_REMATCH[1]}" |
    docker login --username AWS --password-stdin "$registry"
else
  : "${REGISTRY_USER:?REGISTRY_USER is required for a non-ECR registry}"
  : "${REGISTRY_TOKEN:?REGISTRY_TOKEN is required for a non-ECR registry}"
  printf '%s' "$REGISTRY_TOKEN" | docker login --username "$REGISTRY_USER" --password-stdin "${registry%%/*}"
fi

for image in "${CI_IMAGES[@]}"; do
  log "pushing $registry/$image:$sha"
  docker push "$registry/$image:$sha"
done
