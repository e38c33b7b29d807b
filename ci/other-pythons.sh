#!/usr/bin/env bash
# The test suite on the other supported Pythons (3.12 and 3.13; the main run is 3.11):
# one SQLite pass each, in its own virtualenv (.venv-3.12, .venv-3.13) with the same pins.
# An interpreter is taken from PATH (python3.12) or pyenv (~/.pyenv/versions/3.12.*).
# Without one, it says so; under CI=true a missing interpreter is a failure.
#
#   ci/other-pythons.sh [VERSION...] [-- PYTEST ARGS]     default versions: 3.12 3.13
set -euo pipefail
cd "$(dirname "$0")/.."
versions=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  versions+=("$1")
  shift
done
[ "${1:-}" = -- ] && shift
[ ${#versions[@]} -gt 0 ] || versions=(3.12 3.13)

# A pyenv shim answers `command -v` for versions it will then refuse to run: try each.
find_python() {
  local version=$1 candidate
  for candidate in "$(command -v "python$version" 2>/dev/null || true)" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

fail=0
for version in "${versions[@]}"; do
  if ! python=$(find_python "$version"); then
    if [ "${CI:-}" = true ]; then
      echo "❌ Python $version is not installed (CI=true: a missing interpreter is a failure)"
      fail=1
    else
      echo "SKIP: Python $version is not installed"
    fi
    continue
  fi
  venv=.venv-$version
  stamp=$venv/.installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q -c constraints.txt -e '.[dev]'
    touch "$stamp"
  fi
  echo "── tests on Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())') (SQLite)"
  mkdir -p var
  if DATABASE_URL="sqlite:///$PWD/var/test-py$version.sqlite3" \
    "$venv/bin/python" -m pytest -p xdist -n 2 --dist loadgroup "$@"; then
    echo "✅ Python $version: test suite passed"
  else
    echo "❌ Python $version: test suite failed"
    fail=1
  fi
done
exit $fail
