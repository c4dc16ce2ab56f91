#!/bin/sh
# Render nginx.conf.template to stdout from the environment.
#   FRONTEND_SERVERS         space-separated host:port list (required), e.g. "frontend:3000"
#   FRONTEND_CANARY_SERVERS  canary host:port list; with FRONTEND_CANARY_PERCENT    (default none)
#   FRONTEND_CANARY_PERCENT  whole percent of requests the canary takes, 0-50      (default 0)
#   NGINX_TLS                off: HTTP on NGINX_PORT only                          (default off)
#                            terminate: HTTPS on NGINX_HTTPS_PORT with NGINX_TLS_CERT/KEY,
#                              NGINX_PORT redirects to it (but for /nginx-health)
#                            offloaded: a load balancer decrypts HTTPS and sends it in the
#                              clear to NGINX_HTTPS_PORT; NGINX_PORT redirects as above
#   NGINX_PORT               HTTP listen port                                      (default 8080)
#   NGINX_HTTPS_PORT         HTTPS (or decrypted-HTTPS) listen port                (default 8443)
#   NGINX_PUBLIC_HTTPS_PORT  the HTTPS port browsers use, for redirects            (default 443)
#   NGINX_TLS_CERT           certificate chain file (PEM), terminate only
#   NGINX_TLS_KEY            its private key file (PEM), terminate only
#   NGINX_STATUS_PORT        stub_status port, never published                     (default 8081)
#   NGINX_RUNTIME_DIR        writable dir for pid, temp and cache                  (default /tmp/nginx)
#   NGINX_AUTH_RATE          auth-path write rate per client (sign-in, sign-up, …)  (default 10r/m)
#   NGINX_AUTH_BURST         burst allowed above that rate                         (default 10)
#   NGINX_ACCESS_LOG         where JSON access lines go                            (default /dev/stdout)
# Usage: render.sh [template] > nginx.conf
set -eu
template=${1:-$(dirname "$0")/nginx.conf.template}
: "${FRONTEND_SERVERS:?set FRONTEND_SERVERS to a space-separated host:port list}"
FRONTEND_CANARY_SERVERS=${FRONTEND_CANARY_SERVERS:-}
FRONTEND_CANARY_PERCENT=${FRONTEND_CANARY_PERCENT:-0}
NGINX_TLS=${NGINX_TLS:-off}
NGINX_PORT=${NGINX_PORT:-8080}
NGINX_HTTPS_PORT=${NGINX_HTTPS_PORT:-8443}
NGINX_PUBLIC_HTTPS_PORT=${NGINX_PUBLIC_HTTPS_PORT:-443}
NGINX_TLS_CERT=${NGINX_TLS_CERT:-}
NGINX_TLS_KEY=${NGINX_TLS_KEY:-}
NGINX_STATUS_PORT=${NGINX_STATUS_PORT:-8081}
NGINX_RUNTIME_DIR=${NGINX_RUNTIME_DIR:-/tmp/nginx}
NGINX_AUTH_RATE=${NGINX_AUTH_RATE:-10r/m}
NGINX_AUTH_BURST=${NGINX_AUTH_BURST:-10}
NGINX_ACCESS_LOG=${NGINX_ACCESS_LOG:-/dev/stdout}

fail() {
  echo "render.sh: $*" >&2
  exit 2
}

for value in "$NGINX_PORT" "$NGINX_HTTPS_PORT" "$NGINX_PUBLIC_HTTPS_PORT" "$NGINX_STATUS_PORT" \
  "$NGINX_AUTH_BURST" "$FRONTEND_CANARY_PERCENT"; do
  case $value in '' | *[!0-9]*) fail "ports, burst and percent must be numbers, got '$value'" ;; esac
done
[ "$NGINX_PORT" != "$NGINX_HTTPS_PORT" ] && [ "$NGINX_PORT" != "$NGINX_STATUS_PORT" ] &&
  [ "$NGINX_HTTPS_PORT" != "$NGINX_STATUS_PORT" ] || fail "NGINX_PORT, NGINX_HTTPS_PORT and NGINX_STATUS_PORT must differ"
case $NGINX_AUTH_RATE in *r/s | *r/m) ;; *) fail "NGINX_AUTH_RATE must look like 10r/m" ;; esac
for file in "$NGINX_ACCESS_LOG" "$NGINX_TLS_CERT" "$NGINX_TLS_KEY"; do
  case $file in *[!A-Za-z0-9/._-]*) fail "bad file path '$file'" ;; esac
done
[ "$FRONTEND_CANARY_PERCENT" -le 50 ] || fail "FRONTEND_CANARY_PERCENT is at most 50, got $FRONTEND_CANARY_PERCENT"

# Which blocks of the template stay: "# BEGIN x" … "# END x" of the others go.
case $NGINX_TLS in
  off) drop="https terminate" app_listen=$NGINX_PORT ;;
  terminate) drop="" app_listen="$NGINX_HTTPS_PORT ssl" ;;
  offloaded) drop="terminate" app_listen=$NGINX_HTTPS_PORT ;;
  *) fail "NGINX_TLS must be off, terminate or offloaded, got '$NGINX_TLS'" ;;
esac
if [ "$NGINX_TLS" = terminate ]; then
  [ -n "$NGINX_TLS_CERT" ] && [ -n "$NGINX_TLS_KEY" ] || fail "NGINX_TLS=terminate needs NGINX_TLS_CERT and NGINX_TLS_KEY"
fi
https_port_suffix=":$NGINX_PUBLIC_HTTPS_PORT"
[ "$NGINX_PUBLIC_HTTPS_PORT" != 443 ] || https_port_suffix=""

check_servers() {
  for server in $1; do
    case $server in *[!A-Za-z0-9.:_-]*) fail "bad frontend server '$server'" ;; esac
  done
}
check_servers "$FRONTEND_SERVERS"
check_servers "$FRONTEND_CANARY_SERVERS"

# Passive health (nginx.conf.template explains it): primaries leave rotation for 2 s after
# one failed connection; backups are never marked down.
primaries() { for server in $1; do printf '    server %s max_fails=1 fail_timeout=2s;\\n' "$server"; done; }
backups() { for server in $1; do printf '    server %s backup max_fails=0;\\n' "$server"; done; }
if [ -n "$FRONTEND_CANARY_SERVERS" ] && [ "$FRONTEND_CANARY_PERCENT" -gt 0 ]; then
  drop="$drop no-canary"
  # The canary's replicas back up the stable ones too, so that a file only the canary
  # has (a new content-hashed asset) is found whichever upstream was chosen.
  stable="$(primaries "$FRONTEND_SERVERS")$(backups "$FRONTEND_SERVERS $FRONTEND_CANARY_SERVERS")"
  canary="$(primaries "$FRONTEND_CANARY_SERVERS")$(backups "$FRONTEND_SERVERS")"
else
  drop="$drop canary"
  stable="$(primaries "$FRONTEND_SERVERS")$(backups "$FRONTEND_SERVERS")"
  canary=""
fi

blocks=""
for block in $drop; do
  blocks="$blocks/^ *# BEGIN $block\$/,/^ *# END $block\$/d
"
done

mkdir -p "$NGINX_RUNTIME_DIR" 2>/dev/null || true
sed -e "$blocks" \
  -e '/^ *# BEGIN [a-z-]*$/d' \
  -e '/^ *# END [a-z-]*$/d' \
  -e "s|\${APP_LISTEN}|$app_listen|g" \
  -e "s|\${HTTPS_PORT_SUFFIX}|$https_port_suffix|g" \
  -e "s|\${NGINX_PORT}|$NGINX_PORT|g" \
  -e "s|\${NGINX_HTTPS_PORT}|$NGINX_HTTPS_PORT|g" \
  -e "s|\${NGINX_TLS_CERT}|$NGINX_TLS_CERT|g" \
  -e "s|\${NGINX_TLS_KEY}|$NGINX_TLS_KEY|g" \
  -e "s|\${NGINX_STATUS_PORT}|$NGINX_STATUS_PORT|g" \
  -e "s|\${NGINX_RUNTIME_DIR}|$NGINX_RUNTIME_DIR|g" \
  -e "s|\${NGINX_AUTH_RATE}|$NGINX_AUTH_RATE|g" \
  -e "s|\${NGINX_AUTH_BURST}|$NGINX_AUTH_BURST|g" \
  -e "s|\${NGINX_ACCESS_LOG}|$NGINX_ACCESS_LOG|g" \
  -e "s|\${FRONTEND_CANARY_PERCENT}|$FRONTEND_CANARY_PERCENT|g" \
  -e "s|^    # FRONTEND_SERVERS\$|$stable|" \
  -e "s|^    # FRONTEND_CANARY_SERVERS\$|$canary|" \
  "$template"
