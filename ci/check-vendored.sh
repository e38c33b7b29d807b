#!/usr/bin/env bash
# The chart library under findash/web/static/ is the built file of the version that
# package-lock.json pins, byte for byte: `npm ci` installs exactly the lock, then we compare.
# Also leaves node_modules/ (axe-core) in place for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "check-vendored: npm is required (apt-get install npm)"; exit 1; }
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

locked=$(node -p 'require("./package-lock.json").packages["node_modules/chart.js"].version')
installed=$(node -p 'require("./node_modules/chart.js/package.json").version')
vendored=findash/web/static/web/vendor/chart.umd.min.js
built=node_modules/chart.js/dist/chart.umd.min.js

if [[ "$locked" != "$installed" ]]; then
  echo "check-vendored: package-lock pins chart.js $locked but npm ci installed $installed"
  exit 1
fi
if ! cmp -s "$vendored" "$built"; then
  echo "check-vendored: $vendored is not chart.js $locked's dist/chart.umd.min.js"
  echo "  fix: npm ci && cp $built $vendored"
  exit 1
fi
echo "check-vendored: $vendored is chart.js $locked (as locked)"
