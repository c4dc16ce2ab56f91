#!/usr/bin/env bash
# Usage: containers/base/standin.sh IMAGE FOLDER DEBIAN_IMAGE
# Builds the stand-in in containers/base/FOLDER (its Containerfile and files) from
# DEBIAN_IMAGE and tags it IMAGE. Kept while its files and the Debian image are unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
image=$1 folder="$here/$2" debian=$3

input=$(inputs_hash "$0" "$folder"/* "$(image_input "$debian")")
if [ "$(image_input "$image")" = "$input" ]; then
  say "base $image: cached stand-in ($input)"
  exit 0
fi
say "base $image: building the stand-in in containers/base/$2"
log=$(mktemp "${TMPDIR:-/tmp}/$SUITE_PREFIX-standin.XXXXXX")
trap 'rm -f "$log"' EXIT
podman build --pull=never --format docker --build-arg "DEBIAN_IMAGE=$debian" \
  --label "$SUITE_LABEL=stand-in" --label "$SUITE_LABEL.input=$input" \
  -t "$image" "$folder" >"$log" 2>&1 || {
  tail -30 "$log" >&2
  die "the stand-in for $image did not build"
}
say "base $image: made ($input)"
