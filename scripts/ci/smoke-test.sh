#!/usr/bin/env bash
# Usage: scripts/ci/smoke-test.sh test|prod SHA
# Checks that every Deployment runs SHA and that users get the app over HTTPS at the
# environment's host name (app_host_name in its AWS settings, the name on its certificate):
#   https://<host>/ and /login   200, an HTML page, nginx's X-Request-Id, and HSTS for a year
#   http://<host>/login          301 to https://<host>/login
#   http://<host>/nginx-health   200 (the load balancer's health check stays on HTTP)
# The requests go to service/nginx's load balancer under the host name (curl --connect-to),
# so TLS is checked against that name before or without a DNS record, and never against
# another environment's load balancer. SMOKE_WAIT_SECONDS (default 240) bounds the wait for
# a new load balancer to answer.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[[ $# -eq 2 ]] || die "usage: $0 test|prod SHA"
env="$1" sha="$2"
ns="$(namespace_for "$env")"
require_sha "$sha"
host="$(aws_setting "$env" app_host_name)"
wait_seconds="${SMOKE_WAIT_SECONDS:-240}"
use_cluster

for deployment in "${CI_DEPLOYMENTS[@]}"; do
  images="$(kubectl -n "$ns" get "deployment/$deployment" -o jsonpath='{.spec.template.spec.containers[*].image}')"
  [[ " $images " == *":$sha "* ]] || die "deployment/$deployment runs '$images', not $sha"
done

address="" https_port="" http_port=""
deadline=$((SECONDS + wait_seconds))
while :; do
  IFS='|' read -r address https_port http_port < <(kubectl -n "$ns" get service nginx -o \
    jsonpath='{.status.loadBalancer.ingress[0].hostname}{.status.loadBalancer.ingress[0].ip}|{.spec.ports[?(@.name=="https")].port}|{.spec.ports[?(@.name=="http")].port}{"\n"}')
  [[ -n "$address" ]] && break
  ((SECONDS < deadline)) || die "service/nginx in $ns has no load balancer address"
  sleep 5
done
[[ -n "$https_port" && -n "$http_port" ]] || die "service/nginx in $ns has no ports named https and http"
log "checking https://$host through the load balancer $address"

# request SCHEME PATH: curl through the load balancer; sets status, headers (file), body (file).
request() {
  local scheme="$1" path="$2" port
  [[ "$scheme" == https ]] && port="$https_port" || port="$http_port"
  headers="$tmp/headers" body="$tmp/body"
  status="$(curl --silent --show-error --max-time 10 --retry 1000 --retry-delay 5 \
    --retry-max-time "$wait_seconds" --retry-all-errors --proto =http,https \
    --connect-to "$host:$([[ "$scheme" == https ]] && echo 443 || echo 80):$address:$port" \
    --dump-header "$headers" --output "$body" --write-out '%{http_code}' \
    "$scheme://$host$path")" || die "GET $scheme://$host$path failed (see above)"
}
# header NAME: the last value of a response header of the last request, empty if absent.
header() { { grep -i "^$1: " "$headers" || true; } | tail -1 | cut -d' ' -f2- | tr -d '\r'; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for path in / /login; do
  request https "$path"
  [[ "$status" == 200 ]] || die "GET https://$host$path answered $status"
  [[ -n "$(header x-request-id)" ]] || die "GET https://$host$path has no X-Request-Id header"
  [[ "$(header content-type)" == text/html* ]] || die "GET https://$host$path is not HTML"
  grep -qi '<html' "$body" || die "GET https://$host$path has no HTML document"
  hsts="$(header strict-transport-security)"
  [[ "$hsts" =~ max-age=([0-9]+) ]] && ((BASH_REMATCH[1] >= 31536000)) ||
    die "GET https://$host$path has no Strict-Transport-Security for a year (got '$hsts')"
  log "GET https://$host$path ok"
done

request http /login
[[ "$status" == 301 && "$(header location)" == "https://$host/login" ]] ||
  die "GET http://$host/login answered $status to '$(header location)', not 301 to https://$host/login"
log "GET http://$host/login redirects to HTTPS"

request http /nginx-health
[[ "$status" == 200 ]] || die "GET http://$host/nginx-health answered $status: the load balancer's health check fails"
log "smoke test passed at https://$host"
