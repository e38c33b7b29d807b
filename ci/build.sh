#!/usr/bin/env bash
# Build the images: the development, testing and production targets of the Dockerfile,
# then (where docker buildx is installed) the linux/amd64+linux/arm64 production image.
#
#   ci/build.sh               build the three targets (loaded locally), check the
#                             production image (non-root, HEALTHCHECK, size budget)
#   ci/build.sh --push        also build and push the multi-arch image (needs buildx and
#                             IMAGE_REPOSITORY naming a registry, e.g. ghcr.io/org/findash)
#   ci/build.sh --check-only  no engine needed: every target the pipeline builds is defined
#                             (hadolint runs once per CI run, in ci/lint.sh)
#
# Base image: BASE_IMAGE if set; else python:3.11-slim-bookworm when it is present or can be
# pulled; else the image ci/make-base-image.sh makes from Debian's packages.
# Builds use the host's network (--network host) and trust the host's CA bundle for pip.
# Without a Docker engine (and without --check-only) it says so and exits 1.
# Environment: IMAGE_REPOSITORY (default findash), IMAGE_TAG (default: git short sha),
# PLATFORMS (default linux/amd64,linux/arm64), PRODUCTION_SIZE_BUDGET_MB (default 300),
# BUILD_REPORT (a file that receives "target seconds megabytes" lines), MULTIARCH=0 (only
# the local images, as a deploy needs).
set -euo pipefail
cd "$(dirname "$0")/.."
. ci/lib/docker.sh

TARGETS=(base development testing production)
DOCKERFILE=${DOCKERFILE:-Dockerfile}
PLATFORMS=${PLATFORMS:-linux/amd64,linux/arm64}
IMAGE_REPOSITORY=${IMAGE_REPOSITORY:-findash}
OFFICIAL_BASE=python:3.11-slim-bookworm
LOCAL_BASE=${BASE_IMAGE_TAG:-findash/python-base:3.11-bookworm}
BUDGET_MB=${PRODUCTION_SIZE_BUDGET_MB:-300}
check_only=0
push=0
for arg in "$@"; do
  case "$arg" in
    --check-only) check_only=1 ;;
    --push) push=1 ;;
    -h | --help)
      sed -n '2,18p' "$0"
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (use --check-only or --push)" >&2
      exit 2
      ;;
  esac
done

check_targets() {
  local missing=0 target
  for target in "${TARGETS[@]}"; do
    if ! grep -Eiq "^FROM[[:space:]].+[[:space:]]AS[[:space:]]+${target}[[:space:]]*$" "$DOCKERFILE"; then
      echo "❌ $DOCKERFILE has no '${target}' target"
      missing=1
    fi
  done
  if grep -q '^# *syntax=' "$DOCKERFILE"; then
    echo "❌ $DOCKERFILE has a '# syntax=' line: the build would need a registry for its frontend"
    missing=1
  fi
  [ "$missing" = 0 ] || return 1
  echo "✅ $DOCKERFILE defines the targets: ${TARGETS[*]} (builtin frontend)"
}

mkdir -p reports
check_targets
if [ "$check_only" = 1 ]; then
  exit 0
fi

if ! engine_up; then
  echo "❌ No Docker engine is available (docker info failed): images cannot be built here."
  echo "   Use 'ci/build.sh --check-only' to validate the Dockerfile without an engine,"
  echo "   or deploy with the native runtime (DEPLOY_RUNTIME=native ci/deploy.sh ENV)."
  exit 1
fi

resolve_base_image() {
  if [ -n "${BASE_IMAGE:-}" ]; then
    echo "$BASE_IMAGE"
  elif "$DOCKER" image inspect "$OFFICIAL_BASE" >/dev/null 2>&1 ||
    timeout 60 "$DOCKER" pull -q "$OFFICIAL_BASE" >/dev/null 2>&1; then
    echo "$OFFICIAL_BASE"
  else
    echo "ℹ️  $OFFICIAL_BASE cannot be pulled (no registry answers): using a base made from Debian's packages" >&2
    bash ci/make-base-image.sh >&2
    echo "$LOCAL_BASE"
  fi
}
BASE_IMAGE=$(resolve_base_image)

GIT_SHA=${GIT_SHA:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
IMAGE_TAG=${IMAGE_TAG:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
BUILD_TIME=$(date -u +%Y-%m-%dT%H:%M:%SZ)
build_args=(--build-arg "BASE_IMAGE=${BASE_IMAGE}" --build-arg "RELEASE=${IMAGE_TAG}"
  --build-arg "GIT_SHA=${GIT_SHA}" --build-arg "BUILD_TIME=${BUILD_TIME}")
# BUILD_TIME changes every run; it is only a label and an ENV of the last stage, so the
# cached wheel layers survive it.
secret_args=()
if ca=$(host_ca_bundle); then
  secret_args=(--secret "id=ca_bundle,src=$ca")
fi

# RUN --mount (the wheel stages) needs BuildKit: built into Docker 20.10-22 with
# DOCKER_BUILDKIT=1, the default builder since Docker 23.
export DOCKER_BUILDKIT=1
echo "── building with $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null) from $BASE_IMAGE"
for target in development testing production; do
  started=$(date +%s)
  "$DOCKER" build --network host --target "$target" "${build_args[@]}" "${secret_args[@]}" \
    --file "$DOCKERFILE" --tag "${IMAGE_REPOSITORY}:${target}" \
    --tag "${IMAGE_REPOSITORY}:${target}-latest" \
    --tag "${IMAGE_REPOSITORY}:${target}-${IMAGE_TAG}" --progress plain . >"reports/build-$target.log" 2>&1 || {
    tail -40 "reports/build-$target.log"
    echo "❌ ${IMAGE_REPOSITORY}:${target} failed to build (reports/build-$target.log)"
    exit 1
  }
  seconds=$(($(date +%s) - started))
  size=$("$DOCKER" image inspect --format '{{.Size}}' "${IMAGE_REPOSITORY}:${target}")
  echo "✅ ${IMAGE_REPOSITORY}:${target} built in ${seconds}s ($((size / 1000000)) MB)"
  [ -z "${BUILD_REPORT:-}" ] || echo "$target $seconds $((size / 1000000))" >>"$BUILD_REPORT"
done

# The production image must run as a non-root user, carry a health check and fit the budget.
user=$("$DOCKER" image inspect --format '{{.Config.User}}' "${IMAGE_REPOSITORY}:production")
case "$user" in
  "" | root | 0 | 0:*) echo "❌ production image runs as root"; exit 1 ;;
esac
if [ "$("$DOCKER" image inspect --format '{{if .Config.Healthcheck}}yes{{end}}' "${IMAGE_REPOSITORY}:production")" != yes ]; then
  echo "❌ production image has no HEALTHCHECK"
  exit 1
fi
echo "✅ production image runs as ${user} with a HEALTHCHECK"
size_mb=$(($("$DOCKER" image inspect --format '{{.Size}}' "${IMAGE_REPOSITORY}:production") / 1000000))
if [ "$size_mb" -gt "$BUDGET_MB" ]; then
  echo "❌ production image is ${size_mb} MB, over the ${BUDGET_MB} MB budget"
  exit 1
fi
echo "✅ production image size ${size_mb} MB (budget ${BUDGET_MB} MB)"

if [ "${MULTIARCH:-1}" = 0 ] && [ "$push" = 0 ]; then
  echo "ℹ️  MULTIARCH=0: the linux/amd64+arm64 image is not built"
  exit 0
fi
if ! "$DOCKER" buildx version >/dev/null 2>&1; then
  if [ "$push" = 1 ]; then
    echo "❌ --push needs docker buildx (the multi-architecture build)"
    exit 1
  fi
  echo "ℹ️  docker buildx is not installed: the linux/amd64+arm64 image is built where it is (the GitHub workflow)"
  exit 0
fi
if [ "$push" = 1 ] && [[ $IMAGE_REPOSITORY != */* ]]; then
  echo "❌ --push needs IMAGE_REPOSITORY to name a registry (e.g. ghcr.io/org/findash), not '$IMAGE_REPOSITORY'"
  exit 1
fi
if ! "$DOCKER" buildx inspect findash-multiarch >/dev/null 2>&1; then
  "$DOCKER" buildx create --name findash-multiarch --driver docker-container >/dev/null
fi
"$DOCKER" buildx inspect findash-multiarch --bootstrap >/dev/null
output=()
if [ "$push" = 1 ]; then
  output=(--push)
fi
"$DOCKER" buildx build --builder findash-multiarch \
  --platform "$PLATFORMS" \
  --file "$DOCKERFILE" \
  --target production \
  "${build_args[@]}" "${secret_args[@]}" \
  --tag "${IMAGE_REPOSITORY}:production-${IMAGE_TAG}" \
  --tag "${IMAGE_REPOSITORY}:production-latest" \
  "${output[@]}" \
  .
echo "✅ Multi-architecture production image built (${PLATFORMS})"
