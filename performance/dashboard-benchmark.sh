#!/usr/bin/env bash
# The guide's dashboard benchmark, with locust (bench/locustfile.py) against a running
# environment: a benchmark user is registered and seeded through the API (accounts,
# categories, a budget, SEED_TRANSACTIONS transactions over twelve months), then USERS
# simulated users (100) keep reading the five dashboard endpoints for DURATION (30s).
# Targets (the guide): dashboard p95 < 200 ms, median API response < 100 ms, no failed
# request, dashboard cache hit ratio > 80 % (from /metrics, over the run); exit 1 if missed.
#
# Usage: performance/dashboard-benchmark.sh [ENV]           (default testing)
#   USERS, SPAWN_RATE (20/s), DURATION, SEED_TRANSACTIONS (2000), WRITE_EVERY (0: reads only)
#   FINDASH_URL=http://127.0.0.1:8001 to aim at any URL; results in reports/benchmark_*.csv
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-testing}"
url=$(service_url)
[ -x "$VENV/bin/locust" ] || die "locust is missing: make install (dev extras)"
mkdir -p "$REPO_ROOT/reports"
csv=$REPO_ROOT/reports/benchmark
say "── dashboard benchmark of $ENV_NAME at $url: ${USERS:-100} users for ${DURATION:-30s}"
eval "$("$PY" - "$url" "${SEED_TRANSACTIONS:-2000}" <<'PY'
import json, random, secrets, sys, urllib.request
from datetime import date, timedelta
url, count = sys.argv[1], int(sys.argv[2])
def call(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url + path, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(req, timeout=120) as answer:
        return json.loads(answer.read())
user, password = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
call("/auth/register", {"username": user, "password": password})
token = call("/auth/token", {"username": user, "password": password})["access_token"]
accounts = [call("/accounts", {"name": n, "type": t, "currency": "USD", "opening_balance": "1000.00"}, token)["id"]
            for n, t in (("Checking", "checking"), ("Savings", "savings"), ("Card", "credit_card"))]
cats = [call("/categories", {"name": n, "kind": "expense"}, token)["id"] for n in ("Food", "Rent", "Travel", "Fun")]
cats.append(call("/categories", {"name": "Salary", "kind": "income"}, token)["id"])
call("/budgets", {"category_id": cats[0], "amount": "400.00", "currency": "USD", "start_date": "2025-01-01"}, token)
rng, today = random.Random(7), date.today()
rows = [{"account_id": rng.choice(accounts), "date": str(today - timedelta(days=rng.randrange(365))),
         "amount": f"{rng.choice((-1, -1, -1, 1)) * rng.randrange(100, 50000) / 100:.2f}", "currency": "USD",
         "category_id": rng.choice(cats), "payee": rng.choice(("Grocer", "Landlord", "Airline", "Cinema", "Employer"))}
        for _ in range(count)]
for start in range(0, len(rows), 1000):
    call("/transactions/bulk", {"transactions": rows[start:start + 1000]}, token)
print(f"export LOCUST_USERNAME={user} LOCUST_PASSWORD={password} LOCUST_ACCOUNT_ID={accounts[0]}")
PY
)" || die "could not seed the benchmark user at $url"
say "seeded ${SEED_TRANSACTIONS:-2000} transactions for $LOCUST_USERNAME"
before=$(ops_http metrics 2>/dev/null | sed -n 's/.*dashboard cache *\([0-9]*\) hits \/ \([0-9]*\) misses.*/\1 \2/p')
"$VENV/bin/locust" -f "$REPO_ROOT/bench/locustfile.py" --headless --only-summary \
  --users "${USERS:-100}" --spawn-rate "${SPAWN_RATE:-20}" --run-time "${DURATION:-30s}" \
  --host "$url" --csv "$csv" --exit-code-on-error 0 2>&1 | tail -n 25
after=$(ops_http metrics 2>/dev/null | sed -n 's/.*dashboard cache *\([0-9]*\) hits \/ \([0-9]*\) misses.*/\1 \2/p')
"$PY" - "$csv" "${before:-0 0}" "${after:-0 0}" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "_stats.csv")))
agg = next(r for r in rows if r["Name"] == "Aggregated")
dash = [r for r in rows if r["Name"].startswith("/financial/dashboard")]
h0, m0 = map(int, sys.argv[2].split()); h1, m1 = map(int, sys.argv[3].split())
hits, misses = h1 - h0, m1 - m0
ratio = hits / (hits + misses) if hits + misses > 0 else None
p95 = max(float(r["95%"]) for r in dash)
median = float(agg["Median Response Time"])
failures = int(agg["Failure Count"])
rps = float(agg["Requests/s"])
checks = [
    (p95 < 200, f"dashboard load time p95 {p95:.0f} ms (target < 200 ms)"),
    (median < 100, f"API response time median {median:.0f} ms (target < 100 ms)"),
    (failures == 0, f"{failures} failed of {agg['Request Count']} requests ({rps:.0f} req/s)"),
    (ratio is not None and ratio > 0.8, "cache hit ratio " + (f"{ratio:.0%}" if ratio is not None else "unknown") + " (target > 80 %)"),
]
for ok, text in checks:
    print(("✅ " if ok else "❌ ") + text)
sys.exit(0 if all(ok for ok, _ in checks) else 1)
PY
