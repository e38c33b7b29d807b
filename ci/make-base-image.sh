#!/usr/bin/env bash
# Make a stand-in for python:3.11-slim-bookworm from Debian's own packages, for machines
# where no image registry answers (air-gapped, or a registry-less CI):
#
#   ci/make-base-image.sh            build it once (skipped when the tag already exists)
#   ci/make-base-image.sh --force    rebuild it
#
# then build with `--build-arg BASE_IMAGE=findash/python-base:3.11-bookworm` (ci/build.sh
# does this by itself when the official image cannot be pulled). debootstrap installs a
# minimal bookworm with Debian's Python 3.11, venv and CA certificates; `docker import`
# turns the tree into an image. Needs root, debootstrap and a running engine.
# Environment: BASE_IMAGE_TAG (the tag made), DEBIAN_MIRROR (default: the host's apt source).
set -euo pipefail
cd "$(dirname "$0")/.."
. ci/lib/docker.sh

TAG=${BASE_IMAGE_TAG:-findash/python-base:3.11-bookworm}
SUITE=bookworm
force=0
[ "${1:-}" = --force ] && force=1

engine_up || { echo "❌ No Docker engine answers: cannot make the base image."; exit 1; }
if [ "$force" = 0 ] && "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  echo "✅ base image $TAG already exists"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "❌ debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "❌ debootstrap needs root"; exit 1; }

# The host's own Debian mirror: the same one apt-get already reaches here.
host_mirror() {
  local uri
  uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  echo "$uri"
}
MIRROR=${DEBIAN_MIRROR:-$(host_mirror)}
[ -n "$MIRROR" ] || { echo "❌ no Debian mirror found: set DEBIAN_MIRROR"; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/findash-base.XXXXXX")
trap 'rm -rf "$root"' EXIT
started=$(date +%s)
debootstrap --variant=minbase \
  --include=python3,python3-venv,python-is-python3,ca-certificates,tzdata \
  "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 || {
  tail -20 "$root.log"
  rm -f "$root.log"
  exit 1
}
rm -f "$root.log"

# What the slim image leaves out: apt lists and caches, docs, man pages, other locales.
cat >"$root/etc/apt/sources.list" <<SOURCES
deb ${MIRROR} ${SUITE} main
deb ${MIRROR} ${SUITE}-updates main
deb ${MIRROR%/debian}/debian-security ${SUITE}-security main
SOURCES
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +

tar --numeric-owner -C "$root" -c . | "$DOCKER" import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  --message "Debian ${SUITE} + python3 (ci/make-base-image.sh)" \
  - "$TAG" >/dev/null
size=$("$DOCKER" image inspect --format '{{.Size}}' "$TAG")
echo "✅ base image $TAG made from Debian ${SUITE} in $(($(date +%s) - started))s ($((size / 1000000)) MB)"
