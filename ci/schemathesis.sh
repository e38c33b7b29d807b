#!/usr/bin/env bash
# `schemathesis run --checks all` over every phase (examples, coverage, fuzzing, stateful)
# against a live gunicorn on a fresh SQLite database, as two users (alice and bob, each with
# data of their own; the object-level authorization check replays one's reads as the other).
# Two runs: a fixed seed (reproducible) and a random one, printed so a failure can be replayed
# with SCHEMATHESIS_SEED=<seed>. Each run has a time budget (SCHEMATHESIS_MAX_TIME seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
FIXED_SEED=20261201
RANDOM_SEED=${SCHEMATHESIS_SEED:-$(( (RANDOM << 15) | RANDOM ))}
MAX_TIME=${SCHEMATHESIS_MAX_TIME:-150}

work=$PWD/var/schemathesis
rm -rf "$work" && mkdir -p "$work" reports
port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

export DJANGO_SETTINGS_MODULE=config.django.local DEBUG=false
export DATABASE_URL="sqlite:///$work/db.sqlite3" CACHE_URL="" EMAIL_URL="dummy://"
# The seeded tokens must outlive the runs; everything else keeps its defaults.
export JWT_ACCESS_TTL_SECONDS=3600
"$BIN/python" manage.py migrate --noinput -v 0

# --limit-request-line: the fuzzer sends URLs of several KB; in production nginx allows 8 KB too.
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$port" --workers 2 --threads 4 --limit-request-line 8190 \
  --timeout 60 --access-logfile /dev/null --error-logfile "$work/gunicorn.log" \
  --pid "$work/gunicorn.pid" >"$work/server.log" 2>&1 &
server=$!
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap stop_server EXIT
trap 'stop_server; exit 143' INT TERM
"$BIN/python" - "$base/health" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2).close()
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("the server did not start; see var/schemathesis/gunicorn.log")
PY
"$BIN/python" ci/schemathesis/seed.py "$base" "$work/auth.json"
# alice is staff too, so the feature-flag admin API is exercised (bob gets its 403s).
"$BIN/python" manage.py shell -v 0 -c \
  "from django.contrib.auth.models import User; User.objects.filter(username='alice').update(is_staff=True)"

status=0
for seed in "$FIXED_SEED" "$RANDOM_SEED"; do
  echo "── schemathesis, seed $seed (replay: SCHEMATHESIS_SEED=$seed bash ci/schemathesis.sh)"
  if ! "$BIN/schemathesis" run "$base/openapi.json" --checks all \
    --phases examples,coverage,fuzzing,stateful --seed "$seed" --max-time "$MAX_TIME" \
    --workers 1 --request-timeout 30 --suppress-health-check all \
    --report junit --report-junit-path "reports/schemathesis-$seed.xml" --warnings off; then
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "❌ schemathesis found failures (server log: $work/gunicorn.log)"
  exit 1
fi
echo "✅ schemathesis: no failure with seeds $FIXED_SEED and $RANDOM_SEED"
