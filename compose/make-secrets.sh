#!/bin/sh
# Usage: compose/make-secrets.sh DIR
# Makes DIR with a fresh random value for every secret docker-compose.yml reads
# (passwords, the cookie secret and the two database URLs built from them), for
#   TRADEPOST_SECRETS_DIR=DIR docker compose up -d
# DIR is private to its owner (0700); the files in it are readable by the containers'
# users (uid 999 for MySQL, 1000 for the services), which bind mounts require.
# Refuses to touch a DIR that already holds secrets.
set -eu
dir=${1:?usage: compose/make-secrets.sh DIR}
for name in db_password db_root_password test_db_password admin_password cookie_secret database_url test_database_url; do
  if [ -e "$dir/$name" ]; then
    echo "compose/make-secrets.sh: $dir/$name exists; not overwriting secrets" >&2
    exit 1
  fi
done
random() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"
db_password=$(random)
db_root_password=$(random)
test_db_password=$(random)
umask 022
printf '%s' "$db_password" >"$dir/db_password"
printf '%s' "$db_root_password" >"$dir/db_root_password"
printf '%s' "$(random)" >"$dir/admin_password"
printf '%s' "$(random)$(random)" >"$dir/cookie_secret"
printf 'mysql://tradepost:%s@db:3306/tradepost' "$db_password" >"$dir/database_url"
printf '%s' "$test_db_password" >"$dir/test_db_password"
printf 'mysql://tradepost_test:%s@test-db:3306/tradepost' "$test_db_password" >"$dir/test_database_url"
echo "secrets written to $dir (the admin's password is in $dir/admin_password)"
