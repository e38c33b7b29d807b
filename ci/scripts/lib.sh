#!/usr/bin/env bash
# Shared by the deploy scripts (sourced, never run). The native runtime keeps
# everything for one environment under $STATE, outside the checkout (state_home below):
#
#   releases/<id>/        one directory per installed release (a copy of the tree)
#   slots/<slot>.{pid,release,port}   the blue and green gunicorn slots
#   active, previous      which slot nginx sends traffic to, and the one before
#   nginx/                nginx.conf, live.sock/backup.sock (links to slots/*.sock), pid, logs, tls/
#   backups/<ts>.sql      pg_dump taken before each migration (.sqlite3 on SQLite)
#   secret                SECRET_KEY written by ci/scripts/generate-secret.sh
#   validator             password of the synthetic validation user
# shellcheck disable=SC2034  # variables here are used by the scripts that source this file

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENVIRONMENTS="development testing staging production"

say() { printf '%s\n' "$*"; }
ok() { printf '✅ %s\n' "$*"; }
warn() { printf '⚠️  %s\n' "$*" >&2; }
die() {
  printf '❌ %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- environment
# environment_ports ENV: "http https blue green" from deploy/environments.tsv ("-" = none).
environment_ports() {
  awk -F'\t' -v env="$1" '$1 == env { print $2, $3, $4, $5; found = 1 } END { exit !found }' \
    "$REPO_ROOT/deploy/environments.tsv" || die "no ports for '$1' in deploy/environments.tsv"
}

# Where deploys keep their state (releases, slots, backups, secrets): never the checkout.
# FINDASH_STATE_HOME if set; /var/lib/findash for root (a system service's state);
# otherwise $XDG_STATE_HOME/findash (default ~/.local/state/findash) for a user.
state_home() {
  if [ -n "${FINDASH_STATE_HOME:-}" ]; then
    printf '%s\n' "$FINDASH_STATE_HOME"
  elif [ "$(id -u)" = 0 ]; then
    printf '%s\n' /var/lib/findash
  else
    printf '%s\n' "${XDG_STATE_HOME:-${HOME:?HOME is not set}/.local/state}/findash"
  fi
}

# load_env ENV: sets ENV_NAME, STATE, ports and the application's variables.
# Precedence: the caller's environment > deploy/env/ENV.env > the defaults below.
load_env() {
  ENV_NAME=${1:-}
  case " $ENVIRONMENTS " in
  *" $ENV_NAME "*) ;;
  *) die "unknown environment '${ENV_NAME}' (expected one of: $ENVIRONMENTS)" ;;
  esac
  ENV_FILE=${DEPLOY_ENV_FILE:-$REPO_ROOT/deploy/env/$ENV_NAME.env}
  ENV_FILE_KEYS=()
  if [ -f "$ENV_FILE" ]; then
    local line key value
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%$'\r'}
      case "$line" in '' | '#'*) continue ;; esac
      line=${line#export }
      key=${line%%=*}
      value=${line#*=}
      [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
      value=${value#\"}
      value=${value%\"}
      value=${value#\'}
      value=${value%\'}
      ENV_FILE_KEYS+=("$key")
      if [ -z "${!key+x}" ]; then export "$key=$value"; fi
    done <"$ENV_FILE"
  fi

  STATE=${DEPLOY_STATE_DIR:-$(state_home)/$ENV_NAME}
  mkdir -p "$STATE"/{releases,slots,backups,logs,nginx}
  VENV=${DEPLOY_VENV:-$REPO_ROOT/.venv}
  PY=$VENV/bin/python

  local http https blue green
  read -r http https blue green < <(environment_ports "$ENV_NAME")
  [ "$https" != - ] || https=""
  HTTP_PORT=${HTTP_PORT:-$http}
  HTTPS_PORT=${HTTPS_PORT-$https}
  BLUE_PORT=${BLUE_PORT:-$blue}
  GREEN_PORT=${GREEN_PORT:-$green}
  TLS_CERT=${TLS_CERT:-$STATE/nginx/tls/cert.pem}
  TLS_KEY=${TLS_KEY:-$STATE/nginx/tls/key.pem}

  case "$ENV_NAME" in
  staging | production)
    APP_SETTINGS=${DEPLOY_SETTINGS_MODULE:-config.django.production}
    DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/findash_$ENV_NAME}
    ;;
  testing)
    # Production-like: PostgreSQL and no debug pages, with the local settings' conveniences.
    APP_SETTINGS=${DEPLOY_SETTINGS_MODULE:-config.django.local}
    DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/findash_testing}
    export DEBUG=${DEBUG:-false}
    ;;
  *)
    APP_SETTINGS=${DEPLOY_SETTINGS_MODULE:-config.django.local}
    DATABASE_URL=${DATABASE_URL:-sqlite:///$STATE/findash.sqlite3}
    ;;
  esac
  # Staging has no TLS listener, so Django must not redirect it to https.
  if [ "$ENV_NAME" = staging ] || [ -z "$HTTPS_PORT" ]; then
    SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
  fi
  CACHE_URL=${CACHE_URL:-locmem://}
  WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
  GUNICORN_THREADS=${GUNICORN_THREADS:-4}
  GRACEFUL_TIMEOUT=${GRACEFUL_TIMEOUT:-20}
  export DATABASE_URL CACHE_URL
  # With a real certificate, set PUBLIC_URL to the name it was issued for.
  if [ -n "${PUBLIC_URL:-}" ]; then
    :
  elif [ -n "$HTTPS_PORT" ]; then
    PUBLIC_URL="https://127.0.0.1$([ "$HTTPS_PORT" = 443 ] || printf ':%s' "$HTTPS_PORT")"
  else
    PUBLIC_URL="http://127.0.0.1$([ "$HTTP_PORT" = 80 ] || printf ':%s' "$HTTP_PORT")"
  fi
  # Our self-signed certificate is trusted explicitly; a real one through the system's CAs.
  CA_FILE=""
  if [ -n "$HTTPS_PORT" ] && [ "$TLS_CERT" = "$STATE/nginx/tls/cert.pem" ]; then CA_FILE=$TLS_CERT; fi
}

# The runtime: compose when a Docker engine answers, else native.
deploy_runtime() {
  local runtime=${DEPLOY_RUNTIME:-}
  if [ -z "$runtime" ]; then
    # shellcheck source=ci/lib/docker.sh
    . "$REPO_ROOT/ci/lib/docker.sh"
    if engine_up; then
      runtime=compose
    else
      runtime=native
    fi
  fi
  case "$runtime" in
  native | compose) printf '%s\n' "$runtime" ;;
  *) die "DEPLOY_RUNTIME must be native or compose, not '$runtime'" ;;
  esac
}

compose_file() {
  local file=$REPO_ROOT/docker-compose.$ENV_NAME.yml
  [ -f "$file" ] || die "$file is missing (the compose runtime needs it)"
  printf '%s\n' "$file"
}

# SECRET_KEY for staging/production must be real: a missing or default secret stops the deploy.
resolve_secret() {
  if [ -z "${SECRET_KEY:-}" ] && [ -f "$STATE/secret" ]; then
    SECRET_KEY=$(<"$STATE/secret")
  fi
  case "$ENV_NAME" in
  staging | production)
    [ -n "${SECRET_KEY:-}" ] ||
      die "SECRET_KEY is missing for $ENV_NAME: set it in deploy/env/$ENV_NAME.env or run ci/scripts/generate-secret.sh $ENV_NAME (nothing was changed; traffic did not move)"
    case "$SECRET_KEY" in insecure-*) die "SECRET_KEY for $ENV_NAME is the insecure default (traffic did not move)" ;; esac
    [ "${#SECRET_KEY}" -ge 50 ] || die "SECRET_KEY for $ENV_NAME is shorter than 50 characters (traffic did not move)"
    ;;
  esac
  export SECRET_KEY="${SECRET_KEY:-}"
}

# The application's variables, passed to gunicorn and manage.py through `env -i`
# so nothing else from the caller's shell (e.g. DJANGO_SETTINGS_MODULE) leaks in.
app_env() {
  local release_dir=$1 key
  APP_ENV=(
    "PATH=$VENV/bin:/usr/local/bin:/usr/bin:/bin"
    "HOME=${HOME:-/root}"
    "LANG=C.UTF-8"
    "PYTHONPATH=$release_dir"
    "PYTHONDONTWRITEBYTECODE=1"
    "DJANGO_SETTINGS_MODULE=$APP_SETTINGS"
    "ENVIRONMENT=$ENV_NAME"
    "DATABASE_URL=$DATABASE_URL"
    "CACHE_URL=$CACHE_URL"
  )
  [ -n "${SECRET_KEY:-}" ] && APP_ENV+=("SECRET_KEY=$SECRET_KEY")
  [ -n "${SECURE_SSL_REDIRECT:-}" ] && APP_ENV+=("SECURE_SSL_REDIRECT=$SECURE_SSL_REDIRECT")
  if [ -f "$release_dir/.release" ]; then
    while IFS= read -r key; do APP_ENV+=("$key"); done <"$release_dir/.release"
  fi
  # Every other variable the settings read (config/env.py callers), when set.
  while IFS= read -r key; do
    case "$key" in ENVIRONMENT | DATABASE_URL | CACHE_URL | SECRET_KEY | SECURE_SSL_REDIRECT | RELEASE | GIT_SHA | BUILD_TIME) continue ;; esac
    if [ -n "${!key+x}" ]; then APP_ENV+=("$key=${!key}"); fi
  done < <(grep -rhoE 'env_(str|bool|int|float|list|required)\("[A-Z_0-9]+"' "$REPO_ROOT/config" |
    sed -E 's/.*"(.*)"/\1/' | sort -u)
  for key in "${ENV_FILE_KEYS[@]}"; do
    case "$key" in *_PORT | TLS_* | DEPLOY_* | WEB_CONCURRENCY | GUNICORN_THREADS | GRACEFUL_TIMEOUT) continue ;; esac
    printf '%s\n' "${APP_ENV[@]}" | grep -q "^$key=" || APP_ENV+=("$key=${!key}")
  done
}

# manage RELEASE_DIR ARGS...: run manage.py of that release with the environment's settings.
manage() {
  local release_dir=$1
  shift
  app_env "$release_dir"
  (cd "$release_dir" && env -i "${APP_ENV[@]}" "$PY" manage.py "$@")
}

# ------------------------------------------------------------------ database
db_is_postgres() { case "$DATABASE_URL" in postgres://* | postgresql://*) return 0 ;; *) return 1 ;; esac; }

# The URL of the maintenance database on the same server.
db_admin_url() { printf '%s\n' "${DATABASE_URL%/*}/postgres"; }
db_name() {
  local name=${DATABASE_URL##*/}
  printf '%s\n' "${name%%\?*}"
}

db_ensure() {
  if db_is_postgres; then
    command -v psql >/dev/null || die "psql is missing (apt-get install -y postgresql-client)"
    local name exists
    name=$(db_name)
    exists=$(psql "$(db_admin_url)" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'") ||
      die "PostgreSQL is not reachable at ${DATABASE_URL%%/"$name"*} (traffic did not move)"
    if [ "$exists" != 1 ]; then
      psql "$(db_admin_url)" -qc "CREATE DATABASE \"$name\"" >/dev/null
      say "created database $name"
    fi
  fi
}

# db_has_data: the database exists and has been migrated at least once.
db_has_data() {
  if db_is_postgres; then
    [ "$(psql "$DATABASE_URL" -Atqc "SELECT to_regclass('django_migrations') IS NOT NULL" 2>/dev/null)" = t ]
  else
    [ -s "${DATABASE_URL#sqlite:///}" ]
  fi
}

# db_backup LABEL: dump the database into backups/LABEL.sql (.sqlite3 for SQLite); prints the path.
db_backup() {
  local label=$1 file
  if db_is_postgres; then
    file=$STATE/backups/$label.sql
    pg_dump --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file.part" ||
      die "pg_dump failed; not migrating (traffic did not move)"
  else
    local path=${DATABASE_URL#sqlite:///}
    file=$STATE/backups/$label.sqlite3
    if [ -f "$path" ]; then
      "$PY" - "$path" "$file.part" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
PY
    else
      : >"$file.part"
    fi
  fi
  mv "$file.part" "$file"
  printf '%s\n' "$file"
}

# ------------------------------------------------------------------ releases
# install_release: copy the source tree (DEPLOY_SOURCE, default the repo) into releases/;
# sets RELEASE_DIR and RELEASE_NAME.
install_release() {
  local src=${DEPLOY_SOURCE:-$REPO_ROOT} sha stamp
  sha=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
  RELEASE_NAME=${RELEASE:-$(git -C "$src" describe --always --dirty 2>/dev/null || echo "${sha:0:12}")}
  [[ $RELEASE_NAME =~ ^[A-Za-z0-9._+-]+$ ]] || die "RELEASE '$RELEASE_NAME' may only contain letters, digits and . _ + -"
  stamp=$(date -u +%Y%m%d%H%M%S%N)
  RELEASE_DIR=$STATE/releases/$RELEASE_NAME-${stamp:0:17}
  mkdir -p "$RELEASE_DIR"
  if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -cf -) | tar -xf - -C "$RELEASE_DIR"
  else
    tar -C "$src" --exclude=./.venv --exclude=./var --exclude=.git -cf - . |
      tar -xf - -C "$RELEASE_DIR"
  fi
  printf 'RELEASE=%s\nGIT_SHA=%s\nBUILD_TIME=%s\n' "$RELEASE_NAME" "$sha" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$RELEASE_DIR/.release"
  say "installed release $RELEASE_NAME into ${RELEASE_DIR#"$REPO_ROOT"/}"
}

release_label() { sed -n 's/^RELEASE=//p' "$1/.release"; }

# Keep the newest releases; never remove one a slot runs.
prune_releases() {
  local keep=${KEEP_RELEASES:-5} dir used
  used=" $(cat "$STATE"/slots/*.release 2>/dev/null | tr '\n' ' ') "
  while IFS= read -r dir; do
    case "$used" in *" $dir "*) continue ;; esac
    rm -rf "$dir"
  done < <(find "$STATE/releases" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
    sort -rn | tail -n +"$((keep + 1))" | cut -d' ' -f2-)
}

# --------------------------------------------------------------------- slots
slot_port() { if [ "$1" = blue ]; then printf '%s\n' "$BLUE_PORT"; else printf '%s\n' "$GREEN_PORT"; fi; }
other_slot() { if [ "$1" = blue ]; then echo green; else echo blue; fi; }
check_slot_name() { case "${1:-}" in blue | green) ;; *) die "slot must be blue or green, not '${1:-}'" ;; esac; }
active_slot() { cat "$STATE/active" 2>/dev/null || true; }
previous_slot() { cat "$STATE/previous" 2>/dev/null || true; }
slot_release_dir() { cat "$STATE/slots/$1.release" 2>/dev/null || true; }

slot_pid() {
  local pid
  pid=$(cat "$STATE/slots/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}
slot_running() { slot_pid "$1" >/dev/null; }

# http_get URL [curl args...]: prints the body, fails on non-2xx.
http_get() {
  local url=$1
  shift
  curl -fsS --max-time 5 "$@" "$url"
}

# start_slot SLOT RELEASE_DIR: gunicorn from that release on the slot's port, then wait until it serves.
start_slot() {
  local slot=$1 release_dir=$2 port pid deadline code conf=()
  port=$(slot_port "$slot")
  if slot_running "$slot"; then stop_slot "$slot"; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port for the $slot slot is already in use by another process"
  fi
  [ -f "$release_dir/deploy/gunicorn.conf.py" ] && conf=(-c "$release_dir/deploy/gunicorn.conf.py")
  # One control socket per slot (gunicorn >= 24 shares ~/.gunicorn/gunicorn.ctl otherwise).
  local ctl=()
  "$VENV/bin/gunicorn" --help 2>/dev/null | grep -q -- --control-socket &&
    ctl=(--control-socket "$STATE/slots/$slot.ctl")
  app_env "$release_dir"
  rm -f "$STATE/slots/$slot.pid"
  # Started from inside the release: gunicorn puts its starting directory on sys.path
  # ahead of --chdir, so starting elsewhere would import that directory's code.
  (cd "$release_dir" && exec env -i "${APP_ENV[@]}" "$VENV/bin/gunicorn" config.wsgi:application "${conf[@]}" \
    --chdir "$release_dir" --bind "127.0.0.1:$port" --bind "unix:$STATE/slots/$slot.sock" --workers "$WEB_CONCURRENCY" \
    --threads "$GUNICORN_THREADS" --keep-alive 5 --graceful-timeout "$GRACEFUL_TIMEOUT" \
    --pid "$STATE/slots/$slot.pid" "${ctl[@]}" --daemon --name "findash-$ENV_NAME-$slot" \
    --access-logfile "$STATE/logs/$slot-access.log" --error-logfile "$STATE/logs/$slot-error.log" 9>&-) ||
    die "gunicorn for the $slot slot did not start (see $STATE/logs/$slot-error.log)"
  printf '%s\n' "$release_dir" >"$STATE/slots/$slot.release"
  printf '%s\n' "$port" >"$STATE/slots/$slot.port"
  deadline=$(($(date +%s) + ${SLOT_START_TIMEOUT:-60}))
  while :; do
    # Any HTTP answer means gunicorn serves; whether it serves well is validation's job.
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'X-Forwarded-Proto: https' \
      "http://127.0.0.1:$port/version" 2>/dev/null || true)
    if [ "${code:-000}" != 000 ]; then
      pid=$(slot_pid "$slot") && break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$STATE/logs/$slot-error.log" >&2 || true
      stop_slot "$slot" || true
      die "the $slot slot did not answer on port $port within ${SLOT_START_TIMEOUT:-60}s (traffic did not move)"
    fi
    sleep 0.2
  done
  say "$slot slot: gunicorn pid $pid serving $(release_label "$release_dir") on 127.0.0.1:$port"
}

# stop_slot SLOT: graceful stop (SIGTERM lets workers finish in-flight requests).
stop_slot() {
  local slot=$1 pid i
  pid=$(slot_pid "$slot") || {
    rm -f "$STATE/slots/$slot.pid"
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < (GRACEFUL_TIMEOUT + 5) * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$STATE/slots/$slot.pid"
  say "$slot slot stopped (was pid $pid)"
}

# ---------------------------------------------------------------------- nginx
NGINX_DIR() { printf '%s\n' "$STATE/nginx"; }

ensure_nginx_installed() {
  command -v nginx >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/nginx ] && {
    export PATH="$PATH:/usr/sbin"
    return 0
  }
  say "installing nginx (Debian package)"
  # shellcheck source=ci/lib/apt.sh
  . "$REPO_ROOT/ci/lib/apt.sh"
  apt_install nginx-light || die "could not install nginx with apt-get"
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || die "nginx is not installed (apt-get install -y nginx)"
  export PATH="$PATH:/usr/sbin"
}

nginx_cmd() {
  local dir
  dir=$(NGINX_DIR)
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" "$@"
}

nginx_pid() {
  local pid
  pid=$(cat "$(NGINX_DIR)/nginx.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

ensure_tls_cert() {
  [ -s "$TLS_CERT" ] && [ -s "$TLS_KEY" ] && return 0
  [ "$TLS_CERT" = "$STATE/nginx/tls/cert.pem" ] || die "TLS_CERT $TLS_CERT or TLS_KEY $TLS_KEY is missing"
  mkdir -p "$STATE/nginx/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$TLS_KEY" -out "$TLS_CERT" >/dev/null 2>&1 || die "openssl could not create a certificate"
  chmod 600 "$TLS_KEY"
  say "generated a self-signed TLS certificate: ${TLS_CERT#"$REPO_ROOT"/}"
}

# render_nginx: nginx.conf from deploy/native/nginx.conf.template.
render_nginx() {
  local dir tmpl user_line="" tls_server=""
  dir=$(NGINX_DIR)
  tmpl=$REPO_ROOT/deploy/native/nginx.conf.template
  mkdir -p "$dir"/{logs,tmp,tls}
  if [ "$(id -u)" = 0 ] && id www-data >/dev/null 2>&1; then
    user_line="user www-data;"
    chown www-data "$dir/tmp"
  fi
  local http_body
  if [ -n "$HTTPS_PORT" ]; then
    ensure_tls_cert
    local redirect_port=""
    [ "$HTTPS_PORT" = 443 ] || redirect_port=":$HTTPS_PORT"
    # Probes and scrapers may stay on plain http; everything else goes to https.
    http_body="location ~ ^/(health|version|metrics)(/|\$) { include $dir/proxy.conf; }
        location / { return 301 https://\$host$redirect_port\$request_uri; }"
    tls_server="server {
        listen 127.0.0.1:$HTTPS_PORT ssl http2;
        server_name _;
        ssl_certificate $TLS_CERT;
        ssl_certificate_key $TLS_KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:findash_ssl:1m;
        add_header Strict-Transport-Security \"max-age=31536000\" always;
        location / { include $dir/proxy.conf; }
    }"
  else
    http_body="location / { include $dir/proxy.conf; }"
  fi
  # deploy/native/proxy.conf with its include of the shared snippet expanded in place.
  sed -e "/^include findash-proxy.conf;/{r $REPO_ROOT/deploy/nginx/snippets/findash-proxy.conf" -e "d}" \
    "$REPO_ROOT/deploy/native/proxy.conf" >"$dir/proxy.conf.new"
  DIR="$dir" USER_LINE="$user_line" HTTP_PORT="$HTTP_PORT" HTTP_BODY="$http_body" \
    TLS_SERVER="$tls_server" ENV_NAME="$ENV_NAME" "$PY" - "$tmpl" "$dir/nginx.conf.new" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
for key in ("DIR", "USER_LINE", "HTTP_PORT", "HTTP_BODY", "TLS_SERVER", "ENV_NAME"):
    text = text.replace("@" + key + "@", os.environ[key])
open(sys.argv[2], "w").write(text)
PY
}

# point_links SLOT: live.sock -> the slot's socket, backup.sock -> the other slot's
# (each replaced by an atomic rename, so a connect sees the old or the new link).
point_links() {
  local slot=$1 dir other
  dir=$(NGINX_DIR)
  other=$(other_slot "$slot")
  ln -sfn "$STATE/slots/$other.sock" "$dir/backup.sock.tmp"
  mv -T "$dir/backup.sock.tmp" "$dir/backup.sock"
  ln -sfn "$STATE/slots/$slot.sock" "$dir/live.sock.tmp"
  mv -T "$dir/live.sock.tmp" "$dir/live.sock"
}

live_link_slot() { basename "$(readlink "$(NGINX_DIR)/live.sock" 2>/dev/null)" .sock 2>/dev/null || true; }

# start_or_reload_nginx: render the configuration; start nginx, or reload it gracefully
# when (and only when) the configuration changed.
start_or_reload_nginx() {
  ensure_nginx_installed
  local dir out changed=0
  dir=$(NGINX_DIR)
  render_nginx
  cmp -s "$dir/nginx.conf.new" "$dir/nginx.conf" || changed=1
  cmp -s "$dir/proxy.conf.new" "$dir/proxy.conf" || changed=1
  if [ "$changed" = 1 ] || ! nginx_pid >/dev/null; then
    mv "$dir/nginx.conf.new" "$dir/nginx.conf"
    mv "$dir/proxy.conf.new" "$dir/proxy.conf"
    out=$(nginx_cmd -t 2>&1) || die "nginx configuration is invalid: $out"
    if nginx_pid >/dev/null; then
      nginx_cmd -s reload 9>&-
      say "nginx configuration changed: reloaded gracefully"
    else
      nginx_cmd 9>&- || die "nginx did not start (see $dir/logs/error.log)"
      say "nginx started: $PUBLIC_URL"
    fi
  else
    rm -f "$dir/nginx.conf.new" "$dir/proxy.conf.new"
  fi
}

stop_nginx() {
  local pid i
  pid=$(nginx_pid) || return 0
  nginx_cmd -s quit 2>/dev/null || kill -QUIT "$pid"
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  say "nginx stopped (was pid $pid)"
}

# curl through nginx (the self-signed certificate is trusted explicitly).
public_get() {
  local path=$1
  shift
  local extra=()
  if [ -n "$CA_FILE" ]; then extra=(--cacert "$CA_FILE"); fi
  http_get "$PUBLIC_URL$path" "${extra[@]}" "$@"
}

# switch_traffic SLOT: point nginx at a running slot (repoint the live link; reload only
# when the rendered configuration changed) and wait until
# new connections reach it. Prints the milliseconds it took.
switch_traffic() {
  local slot=$1 expected start deadline current body
  slot_running "$slot" || die "the $slot slot is not running; traffic did not move"
  expected=$(release_label "$(slot_release_dir "$slot")")
  start=$(now_ms)
  point_links "$slot"
  start_or_reload_nginx
  current=$(active_slot)
  if [ -n "$current" ] && [ "$current" != "$slot" ]; then printf '%s\n' "$current" >"$STATE/previous"; fi
  printf '%s\n' "$slot" >"$STATE/active"
  deadline=$(($(date +%s) + 10))
  while :; do
    body=$(public_get /version 2>/dev/null || true)
    case "$body" in *"\"release\": \"$expected\""* | *"\"release\":\"$expected\""*) break ;; esac
    [ "$(date +%s)" -lt "$deadline" ] || die "nginx still does not serve release $expected 10s after the reload"
    sleep 0.05
  done
  SWITCH_MS=$(($(now_ms) - start))
  ok "traffic on the $slot slot (release $expected) after ${SWITCH_MS} ms"
}

# validate BASE_URL [validate.py args...]
run_validation() {
  local extra=()
  if [ -n "$CA_FILE" ]; then extra=(--cafile "$CA_FILE"); fi
  # Every endpoint must exist; STRICT_VALIDATION=0 lets a 404 pass with a warning.
  [ "${STRICT_VALIDATION:-1}" = 0 ] || extra+=(--strict)
  "$PY" "$REPO_ROOT/ci/scripts/validate.py" --state "$STATE" "${extra[@]}" "$@"
}

# service_url: where ENV's running service answers: FINDASH_URL if set, else the compose
# runtime's http://127.0.0.1:HTTP_PORT, else the native runtime's PUBLIC_URL (nginx).
service_url() {
  if [ -n "${FINDASH_URL:-}" ]; then
    printf '%s\n' "${FINDASH_URL%/}"
  elif [ "$(deploy_runtime)" = compose ]; then
    printf 'http://127.0.0.1:%s\n' "$HTTP_PORT"
  else
    printf '%s\n' "$PUBLIC_URL"
  fi
}

# ops_http COMMAND ARGS...: ci/scripts/ops_http.py with the environment's URL and CA.
ops_http() {
  local command=$1 extra=()
  shift
  if [ -n "$CA_FILE" ] && [ -z "${FINDASH_URL:-}" ] && [ "$(deploy_runtime)" = native ]; then
    extra=(--cafile "$CA_FILE")
  fi
  "$PY" "$REPO_ROOT/ci/scripts/ops_http.py" "$command" --url "$(service_url)" "${extra[@]}" "$@"
}

# release_ops RELEASE_DIR ARGS...: ci/scripts/release_ops.py inside that release.
release_ops() {
  local release_dir=$1
  shift
  app_env "$release_dir"
  (cd "$release_dir" && env -i "${APP_ENV[@]}" "$PY" "$REPO_ROOT/ci/scripts/release_ops.py" "$@")
}

# with_lock: one deploy/switch at a time per environment.
with_lock() {
  exec 9>"$STATE/.lock"
  flock -w "${DEPLOY_LOCK_TIMEOUT:-120}" 9 || die "another deploy for $ENV_NAME holds $STATE/.lock"
}
