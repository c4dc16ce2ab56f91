#!/usr/bin/env bash
# Usage: scripts/ci/push-images.sh REGISTRY SHA
# Logs in and pushes the three images. An ECR registry (*.dkr.ecr.*.amazonaws.com) uses the
# AWS credentials in the environment; any other registry (Docker Hub) needs REGISTRY_USER and
# REGISTRY_TOKEN. ECR tags are immutable: an image whose tag is already there with the same
# content is skipped (a re-run of the same commit), one with other content fails the push.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 2 ]] || die "usage: $0 REGISTRY SHA"
registry="$1" sha="$2"
require_sha "$sha"

ecr_region=""
if [[ "$registry" =~ ^[0-9]{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$ ]]; then
  ecr_region="${BASH_REMATCH[1]}"
  aws ecr get-login-password --region "$ecr_region" |
    docker login --username AWS --password-stdin "$registry"
else
  : "${REGISTRY_USER:?REGISTRY_USER is required for a non-ECR registry}"
  : "${REGISTRY_TOKEN:?REGISTRY_TOKEN is required for a non-ECR registry}"
  printf '%s' "$REGISTRY_TOKEN" | docker login --username "$REGISTRY_USER" --password-stdin "${registry%%/*}"
fi

# ecr_state IMAGE: "absent", "same" or "other:<remote manifest digest>" for IMAGE:SHA in ECR,
# compared with the local image. The local image ID is the config digest (classic image store)
# or the manifest digest (containerd image store); either matching means the same image.
ecr_state() {
  local image="$1" remote local_id config
  if ! remote="$(aws ecr describe-images --region "$ecr_region" --repository-name "$image" \
    --image-ids "imageTag=$sha" --query 'imageDetails[0].imageDigest' --output text 2>&1)"; then
    [[ "$remote" == *ImageNotFoundException* ]] && { echo absent; return; }
    die "cannot read $image:$sha from ECR: $remote"
  fi
  local_id="$(docker image inspect --format '{{.Id}}' "$registry/$image:$sha")"
  if [[ "$local_id" == "$remote" ]]; then
    echo same
    return
  fi
  config="$(aws ecr batch-get-image --region "$ecr_region" --repository-name "$image" \
    --image-ids "imageDigest=$remote" --query 'images[0].imageManifest' --output text \
    --accepted-media-types application/vnd.docker.distribution.manifest.v2+json \
    application/vnd.oci.image.manifest.v1+json |
    node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{process.stdout.write(JSON.parse(s).config?.digest??"")}catch{}})')"
  if [[ -n "$config" && "$local_id" == "$config" ]]; then echo same; else echo "other:$remote"; fi
}

for image in "${CI_IMAGES[@]}"; do
  if [[ -n "$ecr_region" ]]; then
    state="$(ecr_state "$image")"
    case "$state" in
      same)
        log "$registry/$image:$sha is already in ECR with the same content; not pushed"
        continue
        ;;
      other:*)
        die "$registry/$image:$sha is already in ECR as ${state#other:}, built from the same commit but with other content than this build's $(docker image inspect --format '{{.Id}}' "$registry/$image:$sha"). ECR tags are immutable: deploy the image that is there (it holds this commit), or delete that tag first to replace it."
        ;;
    esac
  fi
  log "pushing $registry/$image:$sha"
  docker push "$registry/$image:$sha"
done
