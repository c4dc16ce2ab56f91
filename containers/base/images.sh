#!/usr/bin/env bash
# Usage: containers/base/images.sh
# Makes the base images that backend/Dockerfile, frontend/Dockerfile, nginx/Dockerfile
# and the compose services the suite runs (db, test-db) name, under exactly those
# names, because nothing can be pulled here: Node from Debian and the npm registry,
# stand-ins for nginx-unprivileged and MySQL. An image of that name that the suite did
# not make (a real one, pulled where a registry is reachable) is used as it is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
debian=localhost/$SUITE_PREFIX/debian:bookworm

# docker.io/library/node:22 for node:22, as Docker and podman resolve a short name.
qualified() {
  case "$1" in
    */*/*) echo "$1" ;;
    */*) echo "docker.io/$1" ;;
    *) echo "docker.io/library/$1" ;;
  esac
}

names=$(
  awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' \
    "$repo"/backend/Dockerfile "$repo"/frontend/Dockerfile "$repo"/nginx/Dockerfile | grep ':'
  awk '$1 == "image:" && $2 ~ /^mysql:/ { print $2 }' "$repo/docker-compose.yml"
)
"$here/debian.sh" "$debian"
for name in $(printf '%s\n' $names | sort -u); do
  image=$(qualified "$name")
  if podman image exists "$image" && [ -z "$(image_input "$image")" ]; then
    say "base $image: present and not made by this suite; used as it is"
    continue
  fi
  case "$name" in
    node:*-bookworm-slim)
      version=${name#node:}
      "$here/node.sh" "$image" "${version%-bookworm-slim}" "$debian"
      ;;
    nginxinc/nginx-unprivileged:*-alpine) "$here/standin.sh" "$image" nginx-unprivileged "$debian" ;;
    mysql:8.*) "$here/standin.sh" "$image" mysql "$debian" ;;
    *) die "no way to make base image $name here: pull it, or teach containers/base/images.sh to make a stand-in" ;;
  esac
done
