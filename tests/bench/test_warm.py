"""bench/warm.py: wrk's output is read right, and the smoke run works end to end."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from bench.warm import ROOT, wrk_parse
from tests.services import require_service

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:40000/financial/dashboard
  2 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.91ms   14.37ms  98.12ms   91.20%
    Req/Sec     1.40k   213.21     1.71k    80.00%
  Latency Distribution
     50%    3.91ms
     75%    8.02ms
     90%   22.15ms
     99%    1.24s
  5564 requests in 2.00s, 1.38MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   2781.65
Transfer/sec:    705.45KB
"""


def test_wrk_figures_are_read_with_their_units_and_every_error_counted() -> None:
    result = wrk_parse("x", WRK_OUTPUT)
    assert result.requests_per_second == pytest.approx(2781.65)
    assert result.latency_avg_ms == pytest.approx(9.91)
    assert result.latency_p50_ms == pytest.approx(3.91)
    assert result.latency_p99_ms == pytest.approx(1240.0)
    assert result.requests == 5564
    assert result.errors == 2 + 3 + 4
    assert result.timeouts == 3


def test_a_clean_run_has_no_errors() -> None:
    clean = re.sub(r"  Socket errors.*\n  Non-2xx.*\n", "", WRK_OUTPUT)
    assert wrk_parse("x", clean).errors == 0


def test_output_that_is_not_wrks_is_refused() -> None:
    with pytest.raises(ValueError, match="unexpected wrk output"):
        wrk_parse("x", "connection refused")


def _bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the warm-path smoke run belongs to the PostgreSQL pass of `make test`")
    parsed = urlparse(url)
    return parsed._replace(path=f"{parsed.path}_bench_warm").geturl()


def test_the_warm_benchmark_smoke_run_measures_every_target() -> None:
    database_url = _bench_database_url()
    if shutil.which("wrk") is None:
        reason = "wrk is not installed (apt-get install wrk; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: a missing tool is a failure)")
        pytest.skip(reason)
    require_service("redis")
    require_service("postgres")
    done = subprocess.run(  # nosec B603 - our own interpreter and script
        [sys.executable, "-m", "bench.warm", "--smoke", "--database-url", database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    for target in ("bare ninja hello", "dashboard cached", "dashboard 304", "/version"):
        row = re.search(rf"^{re.escape(target)}\s+(\d+)\s", done.stdout, re.MULTILINE)
        assert row is not None, f"{target} missing from:\n{done.stdout}"
        assert int(row.group(1)) > 0
