#!/usr/bin/env bash
# Sourced by the scripts that may install a Debian package they need (never run).
#
# apt_install PACKAGE...: install with apt-get as root (or passwordless sudo, as on CI
# runners); the package lists are refreshed only when the first attempt fails. Quiet;
# returns non-zero when the packages could not be installed or apt-get is unavailable.
apt_install() {
  local sudo=()
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" != 0 ]; then
    sudo -n true 2>/dev/null || return 1
    sudo=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
    { "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 &&
      "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
}
