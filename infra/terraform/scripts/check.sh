#!/usr/bin/env bash
# Usage: infra/terraform/scripts/check.sh [--modules DIR] [--skip ROOT]...
# Proves the Terraform before anyone applies it: terraform fmt -check over the tree, then
# terraform init (no backend) + validate for every root and module, and terraform test
# (plan-time tests with mocked providers, in each tests/ folder) where there are tests.
# Works on a scratch copy, so the repository gets no .terraform folders or lock files.
#   --modules DIR  use local copies of the pinned registry modules (DIR/<name>-<version>,
#                  each the module's repository at that tag) instead of downloading them
#   --skip ROOT    leave out a root or module (path under infra/terraform), saying so
# Providers come from the registry, or from a filesystem mirror named in TF_CLI_CONFIG_FILE;
# downloads are kept in TF_PLUGIN_CACHE_DIR when it is set (the build agent's), else for
# this run only.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"

modules=""
skip=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --modules) modules="$(cd "${2:?--modules needs a directory}" && pwd)"; shift 2 ;;
    --skip) skip+=("${2:?--skip needs a path}"); shift 2 ;;
    *) echo "usage: $0 [--modules DIR] [--skip ROOT]..." >&2; exit 2 ;;
  esac
done
command -v terraform >/dev/null || { echo "error: terraform is not installed" >&2; exit 1; }

echo "==> terraform fmt -check"
terraform fmt -check -recursive -diff "$here"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
plugin_cache="${TF_PLUGIN_CACHE_DIR:-$work/plugin-cache}"
mkdir -p "$work/infra" "$plugin_cache"
cp -R "$here" "$work/infra/terraform"
cp -R "$repo/k8s" "$work/k8s" # envs/addons reads the overlays' namespace.yaml
find "$work/infra/terraform" -name .terraform -prune -exec rm -rf {} +
find "$work/infra/terraform" -name .terraform.lock.hcl -delete
if [[ -n "$modules" ]]; then
  node "$here/scripts/local-modules.mjs" "$work/infra/terraform" "$modules"
fi
export TF_PLUGIN_CACHE_DIR="$plugin_cache" TF_IN_AUTOMATION=1

failed=()
skipped=()
dirs=()
while IFS= read -r dir; do dirs+=("$dir"); done < <(cd "$here" && ls -d bootstrap envs/*/ modules/*/ | sed 's#/$##')
for dir in "${dirs[@]}"; do
  if [[ " ${skip[*]} " == *" $dir "* ]]; then skipped+=("$dir"); continue; fi
  echo "==> $dir"
  (
    cd "$work/infra/terraform/$dir"
    terraform init -backend=false -input=false -no-color >init.log 2>&1 || { cat init.log; exit 1; }
    terraform validate -no-color
    if [[ -d tests ]]; then terraform test -no-color; fi
  ) || failed+=("$dir")
done

[[ ${#skipped[@]} -eq 0 ]] || echo "SKIPPED: ${skipped[*]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "terraform checks passed"
