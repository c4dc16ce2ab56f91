#!/bin/sh
# The official nginx images' entrypoint contract: when the command is nginx, run the
# executable *.sh and source the executable *.envsh in /docker-entrypoint.d/ in
# version order (others are reported and skipped), then exec the command.
set -e
log() {
  if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then echo "$0: $*"; fi
}
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  if [ -n "$(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f 2>/dev/null | head -n 1)" ]; then
    log "/docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    for f in $(find /docker-entrypoint.d/ -follow -type f -print | sort -V); do
      case "$f" in
        *.envsh)
          if [ -x "$f" ]; then log "Sourcing $f"; . "$f"; else log "Ignoring $f, not executable"; fi ;;
        *.sh)
          if [ -x "$f" ]; then log "Launching $f"; "$f"; else log "Ignoring $f, not executable"; fi ;;
        *) log "Ignoring $f" ;;
      esac
    done
    log "Configuration complete; ready for start up"
  else
    log "No files found in /docker-entrypoint.d/, skipping configuration"
  fi
fi
exec "$@"
