# Shared by the container suite's scripts (sourced, not run).
# Everything the suite creates carries the label io.tradepost.container-suite, and its
# names start with tradepost-ctsuite, so it never touches anyone else's containers.
SUITE_LABEL=io.tradepost.container-suite
SUITE_PREFIX=tradepost-ctsuite
# Base images and build layers are kept here and in podman's storage between runs.
SUITE_CACHE=${TRADEPOST_CONTAINERS_CACHE:-/var/cache/tradepost-containers}
# What a run measured (build times, sizes, time to healthy), read by the tests and the report.
SUITE_STATE=${TRADEPOST_CONTAINERS_STATE:-$SUITE_CACHE/state}
DEBIAN_MIRROR=${TRADEPOST_DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf '==> %s\n' "$*"; }
warn() { printf 'container suite: %s\n' "$*" >&2; }
die() {
  warn "$*"
  exit 1
}

# The sha256 of files and strings, to key a cached image by everything that made it.
inputs_hash() {
  local item
  for item in "$@"; do
    if [ -f "$item" ]; then
      printf 'file %s\n' "$(basename "$item")"
      cat "$item"
    else
      printf 'value %s\n' "$item"
    fi
  done | sha256sum | cut -c1-16
}

# The input hash an image was made from ("" when the image does not exist).
image_input() {
  podman image inspect --format "{{ index .Labels \"$SUITE_LABEL.input\" }}" "$1" 2>/dev/null || true
}
