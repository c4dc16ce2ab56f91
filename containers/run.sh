#!/usr/bin/env bash
# Usage: containers/run.sh           (npm run test:containers)
#        containers/run.sh --clean   remove the images and downloads it keeps
# The container suite (containers/README.md): base images, the three images built
# from the real Dockerfiles, the compose topology with browser journeys and run-time
# hardening checks, the compose test profile, the Kubernetes pods under podman kube
# play, and the controls. Base images and build layers are kept for the next run;
# everything else it created is removed however it ends.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

case "${1:-}" in
  '' | --clean) ;;
  *) die "usage: containers/run.sh [--clean]" ;;
esac

# What it needs, said plainly when something is missing.
[ "$(id -u)" = 0 ] || die "needs root: it builds and runs rootful podman containers and mounts images"
# The containers group of the one list, and Chromium for the journeys.
needed=$(awk '$3 == "containers" { print $1 }' scripts/test-deps.txt)
# shellcheck disable=SC2086
missing=$(scripts/install-test-deps.sh --containers --check $needed chromium 2>&1) ||
  die "$missing; install them with: scripts/install-test-deps.sh --containers"
command -v kubectl >/dev/null ||
  die "needs kubectl (with its built-in kustomize) to render k8s/overlays/local for podman kube play"
# podman makes its storage on first use; a fresh machine has none yet.
mkdir -p "$SUITE_CACHE" /var/lib/containers
free_gb=$(($(df --output=avail -k /var/lib/containers "$SUITE_CACHE" | tail -n +2 | sort -n | head -1) / 1048576))
[ "$free_gb" -ge 6 ] || die "needs about 6 GB free for images and build layers; ${free_gb} GB left"

# Removes what the suite's runs left: containers, pods, networks and volumes it made,
# and the controls' images. (Images and build layers stay: they are the cache.)
sweep() {
  local ids
  ids=$(podman ps -aq --filter "label=$SUITE_LABEL")
  ids+=" $(podman ps -aq --filter "name=^$SUITE_PREFIX-")"
  # shellcheck disable=SC2086
  [ -z "${ids// /}" ] || podman rm -f -v -t 2 $ids >/dev/null
  for pod in $(podman pod ls --format '{{.Name}}' | grep "^$SUITE_PREFIX-" || true); do
    podman pod rm -f "$pod" >/dev/null
  done
  for network in $(podman network ls -q --filter "label=$SUITE_LABEL"); do
    podman network rm -f "$network" >/dev/null
  done
  for volume in $(podman volume ls -q | grep "^$SUITE_PREFIX" || true); do
    podman volume rm -f "$volume" >/dev/null
  done
  for image in $(podman images -q "localhost/$SUITE_PREFIX/control"); do
    podman rmi -f "$image" >/dev/null 2>&1 || true
  done
}
trap 'status=$?; sweep; exit $status' EXIT
sweep
if [ "${1:-}" = --clean ]; then
  say "removing the images the suite made and its downloads in $SUITE_CACHE"
  for image in $(podman images -q --filter "label=$SUITE_LABEL" | sort -u); do
    podman rmi -f "$image" >/dev/null 2>&1 || true
  done
  rm -rf "$SUITE_CACHE"
  exit 0
fi

started=$(date +%s)
phase() {
  local name=$1 start
  shift
  start=$(date +%s)
  "$@"
  timings+=("$name $(($(date +%s) - start)) s")
}
timings=()
phase "podman settings" "$here/host-setup.sh"
phase "base images" "$here/base/images.sh"
phase "builds" "$here/build.sh"
say "tests"
phase "tests" npx jest --config containers/jest.suite.js --runInBand
say "container suite passed in $(($(date +%s) - started)) s (${timings[*]/%/;})"
