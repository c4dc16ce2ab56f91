#!/bin/sh
# The official Node images' entrypoint contract: when the first argument is an
# option (-e, --inspect) or not a command that exists, run it with node.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && [ ! -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
