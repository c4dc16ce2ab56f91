#!/bin/bash
# The official MySQL image's entrypoint contract, for MariaDB: on an empty data
# directory, initialise it, start a temporary server on the socket only (so a TCP
# health check passes only once the real server runs), set the root password, create
# MYSQL_DATABASE and MYSQL_USER with MYSQL_PASSWORD, run /docker-entrypoint-initdb.d/,
# stop, then exec the server. MYSQL_ROOT_PASSWORD, MYSQL_DATABASE, MYSQL_USER,
# MYSQL_PASSWORD and MYSQL_ROOT_HOST may each be given as NAME_FILE instead.
set -eo pipefail
log() { printf '%s [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*"; }
fail() {
  log "ERROR: $*" >&2
  exit 1
}

if [ "${1:0:1}" = - ]; then set -- mysqld "$@"; fi
case "$1" in mysqld | mariadbd) ;; *) exec "$@" ;; esac
for arg; do
  case "$arg" in -'?' | --help | --print-defaults | -V | --version) exec "$@" ;; esac
done

# NAME or NAME_FILE (never both) into NAME.
file_env() {
  local name=$1 file_name="${1}_FILE" default=${2:-}
  if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then fail "both $name and $file_name are set (but are exclusive)"; fi
  local value=$default
  if [ -n "${!name:-}" ]; then
    value=${!name}
  elif [ -n "${!file_name:-}" ]; then
    value=$(<"${!file_name}") || fail "$file_name: cannot read ${!file_name}"
  fi
  export "$name"="$value"
  unset "$file_name"
}
sql_string() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\\\'}"
}

if [ "$(id -u)" = 0 ]; then
  chown -R mysql:mysql /var/lib/mysql /var/run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH_SOURCE" "$@"
fi

datadir=/var/lib/mysql
socket=/var/run/mysqld/mysqld.sock
if [ ! -d "$datadir/mysql" ]; then
  for name in MYSQL_ROOT_PASSWORD MYSQL_DATABASE MYSQL_USER MYSQL_PASSWORD; do file_env "$name"; done
  file_env MYSQL_ROOT_HOST %
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    fail "Database is uninitialized and password option is not specified.
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD"
  fi
  if [ "$MYSQL_USER" = root ]; then fail "MYSQL_USER=root: use MYSQL_ROOT_PASSWORD for the root user"; fi
  if [ -n "$MYSQL_USER" ] && [ -z "$MYSQL_PASSWORD" ]; then fail "MYSQL_USER is set but MYSQL_PASSWORD is not"; fi
  if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    MYSQL_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi

  log "Initializing database files"
  mariadb-install-db --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve --rpm >/dev/null
  log "Starting temporary server"
  "$@" --skip-networking --socket="$socket" &
  pid=$!
  for _ in $(seq 60); do
    if mysql --protocol=socket --socket="$socket" -uroot -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    kill -0 "$pid" 2>/dev/null || fail "the temporary server exited during initialization"
    sleep 1
  done
  run_sql() { mysql --protocol=socket --socket="$socket" -uroot --password="$MYSQL_ROOT_PASSWORD" "$@"; }

  # Only root@localhost is left from initialisation, as in a fresh MySQL data directory.
  setup="DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');"
  setup+="DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';"
  setup+="FLUSH PRIVILEGES;"
  setup+="ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$MYSQL_ROOT_PASSWORD");"
  if [ "$MYSQL_ROOT_HOST" != localhost ]; then
    setup+="CREATE USER 'root'@$(sql_string "$MYSQL_ROOT_HOST") IDENTIFIED BY $(sql_string "$MYSQL_ROOT_PASSWORD");"
    setup+="GRANT ALL ON *.* TO 'root'@$(sql_string "$MYSQL_ROOT_HOST") WITH GRANT OPTION;"
  fi
  if [ -n "$MYSQL_DATABASE" ]; then setup+="CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"; fi
  if [ -n "$MYSQL_USER" ]; then
    setup+="CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
    if [ -n "$MYSQL_DATABASE" ]; then setup+="GRANT ALL ON \`${MYSQL_DATABASE//_/\\_}\`.* TO $(sql_string "$MYSQL_USER")@'%';"; fi
  fi
  setup+="FLUSH PRIVILEGES;"
  MYSQL_PWD='' mysql --protocol=socket --socket="$socket" -uroot -e "$setup"

  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; run_sql "${MYSQL_DATABASE:-mysql}" <"$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | run_sql "${MYSQL_DATABASE:-mysql}" ;;
      */\*) ;;
      *) log "ignoring $f" ;;
    esac
  done
  run_sql -e 'SHUTDOWN'
  wait "$pid" || true
  log "MySQL init process done. Ready for start up."
fi
exec "$@"
