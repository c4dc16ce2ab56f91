#!/usr/bin/env bash
# Usage: scripts/ci/render.sh test|prod REGISTRY SHA
# Prints exactly what deploy.sh and migrate.sh would apply (review a release by hand).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 3 ]] || die "usage: $0 test|prod REGISTRY SHA"
render "$1" "$2" "$3"
