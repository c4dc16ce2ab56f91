#!/usr/bin/env bash
# Usage: containers/build.sh                       every image
#        containers/build.sh IMAGE DOCKERFILE [TARGET]   one image (the controls' variants)
# Builds Tradepost's images from the real Dockerfiles, unchanged, with --pull=never
# (the base images come from containers/base/images.sh), as the compose file names
# them with TRADEPOST_TAG (default ctsuite). Build layers stay in podman's cache, so an
# unchanged image rebuilds in seconds. Writes each image's build time and size to
# $SUITE_STATE/images.tsv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
repo="$(cd "$here/.." && pwd)"
tag=${TRADEPOST_TAG:-ctsuite}
project=${TRADEPOST_PROJECT:-$SUITE_PREFIX}
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)

# npm inside the build trusts the host's CA bundle and takes Node's headers from the
# image (node-gyp would download them): a global npmrc mounted for RUN steps only,
# never part of an image.
npmrc="$SUITE_CACHE/build-npmrc"
mkdir -p "$npmrc"
cafile=$(npm config get cafile 2>/dev/null || true)
case "$cafile" in '' | null | undefined) cafile=/etc/ssl/certs/ca-certificates.crt ;; esac
[ -r "$cafile" ] || die "no CA bundle at $cafile for npm inside the builds"
cp "$cafile" "$npmrc/host-ca.pem"
printf 'cafile=/usr/local/etc/host-ca.pem\nnodedir=/usr/local\n' >"$npmrc/npmrc"

mkdir -p "$SUITE_STATE"
results="$SUITE_STATE/images.tsv"
# podman_build IMAGE DOCKERFILE TARGET LOG
podman_build() {
  podman build --pull=never --format docker --layers --jobs 2 \
    --volume "$npmrc:/usr/local/etc:ro" \
    --build-arg "REVISION=$revision" ${3:+--target "$3"} \
    --label "$SUITE_LABEL=app" -f "$2" -t "$1" "$repo" >"$4" 2>&1
}
build_failed() {
  tail -40 "$3" >&2
  die "$1 did not build from $2 (full log: $3)"
}
build() {
  local image=$1 dockerfile=$2 target=${3:-} log started ms size before after
  log="$SUITE_STATE/build-$(basename "${image%%:*}").log"
  case "$dockerfile" in /*) ;; *) dockerfile="$repo/$dockerfile" ;; esac
  say "build $image from $dockerfile${target:+ (target $target)}"
  before=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  started=$(date +%s%N)
  if ! podman_build "$image" "$dockerfile" "$target" "$log"; then
    # npm's cache can fail a download on its own leftovers: it names temporary files from
    # four random bytes and opens them exclusively, and after a dropped fetch the retry can
    # find its own file (EEXIST under _cacache/tmp). Such a build is tried once more; the
    # finished stages come from the layer cache. Any other failure stands.
    if grep -qE "npm error (code (EEXIST|ECONNRESET|ETIMEDOUT|EAI_AGAIN)|network)" "$log"; then
      mv "$log" "$log.1"
      say "build $image: npm failed on a transient error ($(grep -m1 -oE 'npm error (code [A-Z_]+|network.*)' "$log.1")); building once more (first log: $log.1)"
      podman_build "$image" "$dockerfile" "$target" "$log" || build_failed "$image" "$dockerfile" "$log"
    else
      build_failed "$image" "$dockerfile" "$log"
    fi
  fi
  ms=$((($(date +%s%N) - started) / 1000000))
  # The image this build replaced, unless something still builds on it (its layers
  # shared with the new one stay: they are the cache).
  after=$(podman image inspect --format '{{.Id}}' "$image")
  if [ -n "$before" ] && [ "$before" != "$after" ]; then podman rmi "$before" >/dev/null 2>&1 || true; fi
  size=$(podman image inspect --format '{{.Size}}' "$image")
  if $record; then printf '%s\t%s\t%s\n' "$image" "$ms" "$size" >>"$results"; fi
  say "build $image: $((ms / 1000)) s, $((size / 1000000)) MB"
}

record=false
if [ $# -gt 0 ]; then
  build "$@"
  exit 0
fi
record=true
: >"$results"
# Build layers that none of this run's builds used (an older lockfile's node_modules,
# say) go, so the cache holds what the current sources need rather than every past
# version. Only images carrying the suite's label, which its base images pass on, are
# considered; a layer freed by removing its child goes in the next pass.
prune_cache() {
  local used stale id
  used=$(grep -ohE -- '--> (Using cache )?[0-9a-f]{11,}' "$SUITE_STATE"/build-tradepost-*.log |
    grep -oE '[0-9a-f]{11,}$' | cut -c1-11 | sort -u)
  for _ in 1 2 3 4 5 6 7 8; do
    stale=()
    for id in $(podman images -q --filter dangling=true --filter "label=$SUITE_LABEL"); do
      grep -qx "${id:0:11}" <<<"$used" || stale+=("$id")
    done
    [ ${#stale[@]} -gt 0 ] || return 0
    podman rmi "${stale[@]}" >/dev/null 2>&1 || true
  done
}

build "tradepost-backend:$tag" backend/Dockerfile
build "tradepost-frontend:$tag" frontend/Dockerfile
build "tradepost-nginx:$tag" nginx/Dockerfile
build "$project-backend-tests" backend/Dockerfile test
prune_cache
