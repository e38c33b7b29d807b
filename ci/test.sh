#!/usr/bin/env bash
# The whole test suite: every database test on SQLite, then again on PostgreSQL,
# with one combined coverage report and a 90 % gate.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PATH="$PWD/$BIN:$PATH"
mkdir -p reports var/static
rm -f .coverage .coverage.*

# memcached is started by .ci/run (ci/test-services.sh); `make test` starts nothing: without
# it the memcached cases skip with a printed reason (under CI=true they fail).

PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/findash}
PYTEST_ARGS=("$@")

echo "── tests on SQLite"
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" \
  "$BIN/python" -m pytest -p xdist -n 2 --dist loadgroup --cov --cov-report= "${PYTEST_ARGS[@]}"
echo "✅ SQLite test suite passed"

if "$BIN/python" - <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
except OSError:
    sys.exit(1)
PY
then
  echo "── tests on PostgreSQL"
  DATABASE_URL="$PG_URL" \
    "$BIN/python" -m pytest -p xdist -n 2 --dist loadgroup --cov --cov-append --cov-report= "${PYTEST_ARGS[@]}"
  echo "✅ PostgreSQL test suite passed"
elif [ "${CI:-}" = "true" ]; then
  echo "❌ PostgreSQL is not reachable at 127.0.0.1:5432 (CI=true: a missing service is a failure)"
  exit 1
else
  echo "SKIP: PostgreSQL is not reachable at 127.0.0.1:5432; the PostgreSQL run is skipped"
fi

"$BIN/coverage" combine -q || true
"$BIN/coverage" xml -q -o reports/coverage.xml
"$BIN/coverage" report --fail-under=90
echo "✅ Coverage gate (≥ 90 %) passed"
