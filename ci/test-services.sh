#!/usr/bin/env bash
# Start what the tests need that the machine does not already run (memcached).
set -uo pipefail
# shellcheck source=ci/lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 11211; then
  if ! command -v memcached >/dev/null 2>&1; then
    echo "installing memcached (Debian package)"
    apt_install memcached || echo "could not install memcached"
  fi
  if command -v memcached >/dev/null 2>&1; then
    memcached -d -u "$(id -un)" -l 127.0.0.1 -p 11211 -m 64 && sleep 0.3
  fi
fi
port_open 11211 && echo "memcached on 127.0.0.1:11211" || echo "memcached not available"
exit 0
