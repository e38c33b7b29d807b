#!/usr/bin/env bash
# Run the built images for real (after ci/build.sh), on the host's network:
#
#   ci/image-checks.sh production   the production image, read-only root filesystem, as its
#                                   non-root user, against the host's PostgreSQL and Redis:
#                                   migrate, serve with gunicorn, /health 200, /version naming
#                                   the commit the image was built from
#   ci/image-checks.sh testing [PYTEST ARGS]
#                                   the test suite inside the testing image against the host's
#                                   PostgreSQL, Redis and RabbitMQ (default: the API, domain
#                                   and guide suites; see IMAGE_TEST_PATHS below)
#
# Environment: IMAGE_REPOSITORY (default findash), IMAGE_DB (the PostgreSQL database, default
# findash_image_check, created when missing), PG_URL (server, default
# postgres://postgres@127.0.0.1:5432), IMAGE_REDIS_URL (default redis://127.0.0.1:6379/15).
set -euo pipefail
cd "$(dirname "$0")/.."
. ci/lib/docker.sh

IMAGE_REPOSITORY=${IMAGE_REPOSITORY:-findash}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
IMAGE_DB=${IMAGE_DB:-findash_image_check}
REDIS_URL=${IMAGE_REDIS_URL:-redis://127.0.0.1:6379/15}
# What runs inside the testing image: the guide's unit and integration suites, the dashboard,
# ledger, tenancy and budget APIs, and the isolation property test — the code paths the
# image ships — on PostgreSQL. The host runs the whole suite (make test); this proves the
# image's own interpreter and wheels run it too.
IMAGE_TEST_PATHS=${IMAGE_TEST_PATHS:-tests/unit tests/integration tests/dashboard tests/ledger tests/tenancy tests/budgets tests/test_tenant_isolation_property.py tests/test_api_errors.py}

engine_up || {
  echo "SKIP: no Docker engine answers: the images were not run (static checks still ran)"
  exit 0
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ensure_db() {
  psql "$PG_URL/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 ||
    psql "$PG_URL/postgres" -qc "CREATE DATABASE \"$1\"" >/dev/null
}

check_production() {
  local image=${IMAGE_REPOSITORY}:production name port secret sha body deadline code
  sha=$("$DOCKER" image inspect --format '{{index .Config.Labels "org.opencontainers.image.revision"}}' "$image")
  ensure_db "$IMAGE_DB"
  secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
  port=$(free_port)
  name=findash-image-check-$$
  # shellcheck disable=SC2054  # the commas belong to --tmpfs options
  local run=("$DOCKER" run --network host --read-only --user 10001:10001
    --tmpfs /tmp:rw,size=64m --tmpfs /app/var/prometheus:rw,uid=10001,gid=10001,size=16m
    -e "DATABASE_URL=$PG_URL/$IMAGE_DB" -e "CACHE_URL=$REDIS_URL" -e "SECRET_KEY=$secret"
    -e SECURE_SSL_REDIRECT=false -e "ALLOWED_HOSTS=127.0.0.1,localhost")
  "${run[@]}" --rm "$image" python manage.py migrate --noinput >reports/image-migrate.log 2>&1 || {
    tail -20 reports/image-migrate.log
    echo "❌ production image: migrate failed"
    return 1
  }
  echo "✅ production image: migrate (read-only root, user 10001) against PostgreSQL $IMAGE_DB"
  "${run[@]}" -d --name "$name" -e "WEB_CONCURRENCY=2" "$image" \
    gunicorn --config deploy/gunicorn.conf.py --bind "127.0.0.1:$port" --no-control-socket \
    config.wsgi:application >/dev/null
  trap '"$DOCKER" rm -f "'"$name"'" >/dev/null 2>&1 || true' RETURN
  deadline=$(($(date +%s) + 60))
  until code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/health") && [ "$code" = 200 ]; do
    if [ "$(date +%s)" -ge "$deadline" ] || [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$name")" != true ]; then
      "$DOCKER" logs --tail 30 "$name" 2>&1
      echo "❌ production image: /health did not answer 200 within 60s (last: ${code:-none})"
      return 1
    fi
    sleep 0.5
  done
  echo "✅ production image: gunicorn serves, /health 200 on 127.0.0.1:$port"
  body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/version")
  case "$body" in
    *"$sha"*) echo "✅ production image: /version names the built commit ${sha:0:12} ($body)" ;;
    *)
      echo "❌ production image: /version does not name the built commit $sha: $body"
      return 1
      ;;
  esac
  "$DOCKER" exec "$name" sh -c 'touch /app/manage.py' 2>/dev/null &&
    { echo "❌ production image: the code is writable at run time"; return 1; }
  echo "✅ production image: the root filesystem is read-only, the app user cannot write its code"
  [ "$("$DOCKER" exec "$name" id -u)" != 0 ] || { echo "❌ production image runs as root"; return 1; }
}

check_testing() {
  local image=${IMAGE_REPOSITORY}:testing db=${IMAGE_DB}_tests
  ensure_db "$db"
  echo "── tests inside $image (PostgreSQL $db): ${IMAGE_TEST_PATHS}"
  # shellcheck disable=SC2086  # the paths are a word list
  "$DOCKER" run --rm --network host -e CI=true -e "DATABASE_URL=$PG_URL/$db" \
    -e "TEST_POSTGRES_URL=$PG_URL/$db" -e "TEST_REDIS_URL=$REDIS_URL" "$image" \
    python -m pytest -p xdist -n 2 "$@" $IMAGE_TEST_PATHS
  echo "✅ test suite passed inside $image"
}

case "${1:-}" in
  production) check_production ;;
  testing)
    shift
    check_testing "$@"
    ;;
  *)
    echo "usage: $0 production | testing [PYTEST ARGS]" >&2
    exit 2
    ;;
esac
