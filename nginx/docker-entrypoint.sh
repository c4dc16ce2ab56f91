#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts: render the config
# from the environment into /tmp (the root filesystem may be read-only).
set -eu
mkdir -p /tmp/nginx
sh /etc/tradepost/render.sh /etc/tradepost/nginx.conf.template > /tmp/nginx/nginx.conf
