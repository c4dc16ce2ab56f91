# Shared helpers for scripts/ci/*.sh; sourced, never run.
# shellcheck shell=bash

readonly CI_IMAGES=(tradepost-backend tradepost-frontend tradepost-nginx)
readonly CI_DEPLOYMENTS=(backend frontend nginx)
CI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
readonly CI_ROOT

die() {
  echo "error: $*" >&2
  exit 1
}

log() {
  echo "==> $*" >&2
}

# require_sha VALUE: a full 40-character commit SHA (never a moving tag such as latest).
require_sha() {
  [[ "${1:-}" =~ ^[0-9a-f]{40}$ ]] || die "expected a full 40-character git commit SHA, got '${1:-}'"
}

# namespace_for ENV: the Kubernetes namespace of an environment.
namespace_for() {
  case "${1:-}" in
    prod) echo tradepost ;;
    test) echo tradepost-test ;;
    *) die "environment must be test or prod, got '${1:-}'" ;;
  esac
}

# use_cluster: point kubectl at EKS_CLUSTER when set (CI); otherwise keep the current context.
use_cluster() {
  if [[ -n "${EKS_CLUSTER:-}" ]]; then
    export KUBECONFIG="${KUBECONFIG:-$CI_ROOT/.kube/config}"
    aws eks update-kubeconfig --name "$EKS_CLUSTER" --region "${AWS_REGION:?AWS_REGION must be set with EKS_CLUSTER}" >/dev/null
  fi
  kubectl version --request-timeout=10s >/dev/null || die "kubectl cannot reach a cluster"
}

# aws_settings ENV: the file holding ENV's AWS values: $AWS_SETTINGS_DIR/ENV.yaml when
# AWS_SETTINGS_DIR is set (infra/scripts/aws-settings.mjs fills it from the Terraform outputs;
# on the build agent Ansible puts it there), else the overlay's own aws-settings.yaml. Fails,
# naming each one, while a value is a placeholder or malformed.
aws_settings() {
  local env="$1" file
  if [[ -n "${AWS_SETTINGS_DIR:-}" ]]; then
    file="$AWS_SETTINGS_DIR/$env.yaml"
  else
    file="${K8S_DIR:-$CI_ROOT/k8s}/overlays/$env/aws-settings.yaml"
  fi
  [[ -f "$file" ]] || die "no AWS settings for $env: $file does not exist"
  node "$CI_ROOT/scripts/ci/lib/aws-settings.mjs" check "$file" "$env" || die "refusing to use $file"
  echo "$file"
}

# aws_setting ENV KEY: one of ENV's AWS values (see aws_settings).
aws_setting() {
  local file
  file="$(aws_settings "$1")" || exit 1
  node "$CI_ROOT/scripts/ci/lib/aws-settings.mjs" get "$file" "$1" "$2"
}

# render ENV REGISTRY SHA: print what a release applies: the overlay's manifests with the three
# images pinned to SHA (kustomize edit set image on a copy of K8S_DIR, default the repo's k8s/,
# so the checkout is never modified), without the Namespace, which Terraform creates
# (infra/terraform/envs/addons) and the deploy role may not touch. The AWS values come from
# aws_settings: never the committed placeholders.
render() (
  local env="$1" registry="$2" sha="$3" tmp settings
  namespace_for "$env" >/dev/null
  require_sha "$sha"
  settings="$(aws_settings "$env")"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp -R "${K8S_DIR:-$CI_ROOT/k8s}" "$tmp/k8s"
  cp "$settings" "$tmp/k8s/overlays/$env/aws-settings.yaml"
  node "$CI_ROOT/scripts/ci/lib/set-images.mjs" "$tmp/k8s/overlays/$env/kustomization.yaml" \
    "$registry" "$sha" "${CI_IMAGES[@]}"
  kubectl kustomize "$tmp/k8s/overlays/$env" | node "$CI_ROOT/scripts/ci/lib/manifests.mjs" omit-kind Namespace
)

# revisions_file ENV: where deploy.sh records each Deployment's revision before it applies and
# rollback.sh reads it (CI_STATE_DIR, default reports/deploy/ in the checkout).
revisions_file() {
  echo "${CI_STATE_DIR:-$CI_ROOT/reports/deploy}/$1-revisions.tsv"
}

# deployment_revision NAMESPACE NAME: the Deployment's current revision, "-" if it does not exist.
deployment_revision() {
  local revision
  revision="$(kubectl -n "$1" get "deployment/$2" --ignore-not-found \
    -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')"
  echo "${revision:--}"
}
