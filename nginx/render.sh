#!/bin/sh
# Render nginx.conf.template to stdout from the environment.
#   FRONTEND_SERVERS   space-separated host:port list (required), e.g. "frontend:3000"
#   NGINX_PORT         public listen port                    (default 8080)
#   NGINX_STATUS_PORT  stub_status port, never published     (default 8081)
#   NGINX_RUNTIME_DIR  writable dir for pid, temp and cache  (default /tmp/nginx)
#   NGINX_AUTH_RATE    sign-in/sign-up POST rate per client  (default 10r/m)
#   NGINX_AUTH_BURST   burst allowed above that rate         (default 10)
#   NGINX_ACCESS_LOG   where JSON access lines go            (default /dev/stdout)
# Usage: render.sh [template] > nginx.conf
set -eu
template=${1:-$(dirname "$0")/nginx.conf.template}
: "${FRONTEND_SERVERS:?set FRONTEND_SERVERS to a space-separated host:port list}"
NGINX_PORT=${NGINX_PORT:-8080}
NGINX_STATUS_PORT=${NGINX_STATUS_PORT:-8081}
NGINX_RUNTIME_DIR=${NGINX_RUNTIME_DIR:-/tmp/nginx}
NGINX_AUTH_RATE=${NGINX_AUTH_RATE:-10r/m}
NGINX_AUTH_BURST=${NGINX_AUTH_BURST:-10}
NGINX_ACCESS_LOG=${NGINX_ACCESS_LOG:-/dev/stdout}

for value in "$NGINX_PORT" "$NGINX_STATUS_PORT" "$NGINX_AUTH_BURST"; do
  case $value in '' | *[!0-9]*) echo "render.sh: ports and burst must be numbers, got '$value'" >&2; exit 2 ;; esac
done
case $NGINX_AUTH_RATE in *r/s | *r/m) ;; *) echo "render.sh: NGINX_AUTH_RATE must look like 10r/m" >&2; exit 2 ;; esac
case $NGINX_ACCESS_LOG in *[!A-Za-z0-9/._-]*) echo "render.sh: bad NGINX_ACCESS_LOG path" >&2; exit 2 ;; esac

servers=""
backups=""
for server in $FRONTEND_SERVERS; do
  case $server in *[!A-Za-z0-9.:_-]*) echo "render.sh: bad frontend server '$server'" >&2; exit 2 ;; esac
  # Passive health: two failures take a replica out of rotation for 5 s.
  servers="$servers    server $server max_fails=2 fail_timeout=5s;\n"
  # The same replicas again as backups, never marked down: when passive health has
  # taken every replica out (one restarted a moment ago, still inside its 5 s, and
  # one draining), nginx tries them rather than answer 502 with none tried.
  backups="$backups    server $server backup max_fails=0;\n"
done
servers="$servers$backups"

mkdir -p "$NGINX_RUNTIME_DIR" 2>/dev/null || true
sed \
  -e "s|\${NGINX_PORT}|$NGINX_PORT|g" \
  -e "s|\${NGINX_STATUS_PORT}|$NGINX_STATUS_PORT|g" \
  -e "s|\${NGINX_RUNTIME_DIR}|$NGINX_RUNTIME_DIR|g" \
  -e "s|\${NGINX_AUTH_RATE}|$NGINX_AUTH_RATE|g" \
  -e "s|\${NGINX_AUTH_BURST}|$NGINX_AUTH_BURST|g" \
  -e "s|\${NGINX_ACCESS_LOG}|$NGINX_ACCESS_LOG|g" \
  -e "s|^    # FRONTEND_SERVERS\$|$servers|" \
  "$template"
