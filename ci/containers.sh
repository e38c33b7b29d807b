#!/usr/bin/env bash
# CI's container stage: a Docker engine, the three images, and the images run for real.
#
#   1. an engine: one that answers already, else (as root) Debian's docker.io is installed
#      and `dockerd --iptables=false --bridge=none` started in the background (no firewall
#      rules, no bridge: every build and container uses the host's network, all on
#      127.0.0.1); it is stopped again at the end
#   2. ci/build.sh: development, testing, production (base image from Debian's packages
#      when no registry answers), size budget; build times and sizes in reports/images.txt
#   3. ci/image-checks.sh production: read-only, non-root, host PostgreSQL/Redis, migrate,
#      serve, /health, /version = the built commit
#   4. ci/image-checks.sh testing: the API/domain/guide suites inside the testing image
#   5. the compose runtime: ci/deploy.sh testing, ci/validate-deployment.sh testing, the
#      guide's integration suite with --base-url against it, ci/deploy.sh testing --down
#
# Where no engine can start, it says why and exits 0: the static checks (ci/lint.sh,
# ci/check-configs.sh, ci/build.sh --check-only) ran before it in .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
. ci/lib/docker.sh
. ci/lib/apt.sh
mkdir -p reports
LOG_DIR=${CONTAINERS_LOG_DIR:-$PWD/reports}
started_engine=""

stop_engine() {
  [ -n "$started_engine" ] || return 0
  kill "$started_engine" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$started_engine" 2>/dev/null || break; sleep 0.2; done
  echo "docker engine (pid $started_engine) stopped"
}
trap stop_engine EXIT

start_engine() {
  engine_up && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "SKIP: no Docker engine answers and this user cannot start one (not root)"
    return 1
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    echo "installing Debian's docker.io and debootstrap"
    apt_install docker.io debootstrap || {
      echo "SKIP: docker.io could not be installed with apt-get"
      return 1
    }
  fi
  DOCKER=""
  pick_docker
  dockerd --iptables=false --bridge=none >"$LOG_DIR/dockerd.log" 2>&1 &
  started_engine=$!
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && {
      echo "✅ docker engine started (pid $started_engine, log reports/dockerd.log)"
      return 0
    }
    kill -0 "$started_engine" 2>/dev/null || break
    sleep 0.5
  done
  echo "SKIP: dockerd did not start here (last lines of its log below)"
  tail -5 "$LOG_DIR/dockerd.log" || true
  started_engine=""
  return 1
}

if ! start_engine; then
  echo "SKIP: no images were built or run; the Dockerfile and compose files were checked statically"
  exit 0
fi

# The guide's `docker compose …` commands: Debian's CLI has no compose plugin; the Compose v2
# CLI from the dev extras serves as one.
if ! "$DOCKER" compose version >/dev/null 2>&1 && [ -x .venv/bin/docker-compose ]; then
  mkdir -p "$HOME/.docker/cli-plugins"
  ln -sfn "$PWD/.venv/bin/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"
fi
"$DOCKER" compose version

rm -f reports/images.txt
BUILD_REPORT=$PWD/reports/images.txt bash ci/build.sh
while read -r target seconds size; do
  echo "image findash:$target: ${size} MB, built in ${seconds}s"
done <reports/images.txt
bash ci/image-checks.sh production
bash ci/image-checks.sh testing

# The compose runtime end to end on a free port, with its own state directory and database.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
state=$(mktemp -d "${TMPDIR:-/tmp}/findash-compose-state.XXXXXX")
export FINDASH_STATE_HOME=$state HTTP_PORT=$port DEPLOY_RUNTIME=compose COMPOSE_SKIP_BUILD=1
export HOST_DATABASE_URL=${COMPOSE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/findash_ci_compose}
export HOST_CACHE_URL=${COMPOSE_CACHE_URL:-redis://127.0.0.1:6379/13}
compose_down() {
  bash ci/deploy.sh testing --down >/dev/null 2>&1 || true
  rm -rf "$state"
  stop_engine
}
trap compose_down EXIT
echo "── compose runtime: ci/deploy.sh testing on 127.0.0.1:$port"
bash ci/deploy.sh testing
bash ci/validate-deployment.sh testing
.venv/bin/python -m pytest -p no:xdist tests/integration/test_dashboard_api.py --base-url="http://127.0.0.1:$port"
bash monitoring/health-check.sh "http://127.0.0.1:$port"
bash ci/deploy.sh testing --down
echo "✅ compose runtime: deploy, validate, integration suite and health check against the testing containers"
