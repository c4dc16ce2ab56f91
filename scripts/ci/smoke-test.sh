#!/usr/bin/env bash
# Usage: scripts/ci/smoke-test.sh test|prod SHA [BASE_URL]
# Checks that every Deployment runs SHA and that the app answers through the nginx
# LoadBalancer (or BASE_URL): the home page renders and carries nginx's X-Request-Id.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -ge 2 && $# -le 3 ]] || die "usage: $0 test|prod SHA [BASE_URL]"
ns="$(namespace_for "$1")"
sha="$2"
require_sha "$sha"
use_cluster

for deployment in "${CI_DEPLOYMENTS[@]}"; do
  images="$(kubectl -n "$ns" get "deployment/$deployment" -o jsonpath='{.spec.template.spec.containers[*].image}')"
  [[ " $images " == *":$sha "* ]] || die "deployment/$deployment runs '$images', not $sha"
done

base="${3:-}"
if [[ -z "$base" ]]; then
  for _ in $(seq 60); do
    host="$(kubectl -n "$ns" get service nginx -o jsonpath='{.status.loadBalancer.ingress[0].hostname}{.status.loadBalancer.ingress[0].ip}')"
    [[ -n "$host" ]] && break
    sleep 5
  done
  [[ -n "${host:-}" ]] || die "service/nginx in $ns has no load balancer address"
  base="http://$host"
fi

check() {
  local path="$1" headers body status
  headers="$(mktemp)" body="$(mktemp)"
  status="$(curl --silent --show-error --max-time 10 --retry 12 --retry-delay 5 --retry-all-errors \
    --dump-header "$headers" --output "$body" --write-out '%{http_code}' "$base$path")"
  [[ "$status" == 200 ]] || die "GET $path answered $status"
  grep -qi '^x-request-id: ' "$headers" || die "GET $path has no X-Request-Id header"
  grep -qi '^content-type: text/html' "$headers" || die "GET $path is not HTML"
  grep -qi '<html' "$body" || die "GET $path has no HTML document"
  rm -f "$headers" "$body"
  log "GET $path ok"
}

check /
check /login
log "smoke test passed at $base"
