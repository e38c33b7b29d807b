#!/usr/bin/env bash
# Sourced by the ci/*.sh scripts that talk to a Docker engine.
#
# pick_docker sets DOCKER to a CLI that can build with BuildKit. A newer CLI earlier on PATH
# without the buildx plugin refuses `docker build`; Debian's docker.io CLI (/usr/bin/docker)
# has BuildKit built in, so it is preferred when the first one cannot build.
# engine_up answers whether an engine answers that CLI.

pick_docker() {
  local candidate
  if [ -n "${DOCKER:-}" ]; then
    return 0
  fi
  for candidate in "$(command -v docker 2>/dev/null || true)" /usr/bin/docker; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" buildx version >/dev/null 2>&1 || client_has_buildkit "$candidate"; then
      DOCKER=$candidate
      export DOCKER
      return 0
    fi
  done
  DOCKER=$(command -v docker 2>/dev/null || echo docker)
  export DOCKER
}

# Docker CLIs before 23 carry BuildKit themselves (DOCKER_BUILDKIT=1); later ones need buildx.
client_has_buildkit() {
  local major
  major=$("$1" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
  [ -n "$major" ] && [ "$major" -lt 23 ] 2>/dev/null
}

engine_up() {
  pick_docker
  command -v "$DOCKER" >/dev/null 2>&1 && "$DOCKER" info >/dev/null 2>&1
}

# The host's CA bundle (Debian's ca-certificates): pip inside a build verifies the package
# index with it, passed as a BuildKit secret so it never lands in a layer.
host_ca_bundle() {
  local bundle
  for bundle in "${HOST_CA_BUNDLE:-}" /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
    if [ -n "$bundle" ] && [ -r "$bundle" ]; then
      echo "$bundle"
      return 0
    fi
  done
  return 1
}
