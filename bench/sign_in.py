"""Sign-in to figures: how long after pressing "Log in" the dashboard shows its figures.

    .venv/bin/python -m bench.sign_in                      # demo shape, 1M rows, PostgreSQL
    .venv/bin/python -m bench.sign_in --size 10000 --runs 3
    .venv/bin/python -m bench.sign_in --database-url sqlite:///$PWD/var/bench-matrix.sqlite3

Builds (or reuses) the ``bench.tenants`` tenant of that shape and size, gives its user a
password (hashed with the production hasher), collects the static files and starts
findash under gunicorn as deployed (deploy/gunicorn.conf.py, production settings, the
Redis cache). Then, in headless Chromium (``tests/web/browser.py``), each run opens the
login page with a new browser profile (nothing cached), fills in the form, records
``Date.now()`` and submits; the dashboard page records the moment its figures are on
screen (the summary's net worth filled in) and the moment the 12-month charts are
drawn. ``cold``: the dashboard cache emptied before the sign-in; ``warm``: the same
sign-in again right after. The first run's request waterfall is printed too.

Times are wall clock in the browser (the machine is shared: read them with the load
average printed next to them).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from bench.databases import pg_create_database, pg_reachable
from bench.warm import Server, findash_env

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/findash_bench_matrix"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/9"
PASSWORD = "sign-in-bench-2026"  # nosec B105 - a local benchmark user

# Runs in every page before its own scripts: when the figures and the charts appear, and
# (on leaving the login page) how long POST /auth/token took.
_PROBE = """
(() => {
  const seen = () => {
    const cell = document.querySelector('[data-summary="net_worth"]');
    if (cell && cell.textContent !== "\\u2026" && !window.__figuresAt) {
      window.__figuresAt = Date.now();
    }
    const chart = document.getElementById("net-worth-chart-summary");
    if (chart && chart.textContent && !window.__chartsAt) {
      window.__chartsAt = Date.now();
    }
  };
  new MutationObserver(seen).observe(document, {subtree: true, childList: true,
    characterData: true});
  addEventListener("pagehide", () => {
    const token = performance.getEntriesByType("resource")
      .filter((entry) => entry.name.includes("/auth/token")).pop();
    if (token) {
      sessionStorage.setItem("__benchToken", String(token.responseEnd - token.startTime));
    }
  });
})();
"""

_RESULT = """
(() => {
  const origin = performance.timeOrigin;
  const t0 = Number(sessionStorage.getItem("__benchT0"));
  return {
    figures: window.__figuresAt ? window.__figuresAt - t0 : null,
    charts: window.__chartsAt ? window.__chartsAt - t0 : null,
    token: Number(sessionStorage.getItem("__benchToken")),
    navigation: origin - t0,
    requests: performance.getEntriesByType("resource").concat(
      performance.getEntriesByType("navigation")).map((entry) => ({
        name: entry.name.replace(location.origin, ""),
        start: Math.round(origin + entry.startTime - t0),
        end: Math.round(origin + entry.responseEnd - t0),
      })).sort((a, b) => a.start - b.start),
  };
})()
"""


def _env(args: argparse.Namespace, prefix: str) -> dict[str, str]:
    return {
        **findash_env(args),
        "CACHE_KEY_PREFIX": prefix,
        "SECURE_SSL_REDIRECT": "false",  # plain http on the loopback
        "LOG_LEVEL": "WARNING",
    }


def _prepare(args: argparse.Namespace) -> None:
    """In a child with the production settings: migrate, build the tenant, set a password."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from bench.matrix import TODAY
    from bench.tenants import default_span, tenant_build

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    built = tenant_build(shape=args.shape, size=args.size, span=default_span(TODAY), rebuild=False)
    user = User.objects.get(username=built.tenant.name)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    print(json.dumps({"username": user.username}))


def _cache_clear(cache_url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(cache_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)


def _sign_in(base: str, next_path: str, username: str, workdir: Path, run: int) -> dict[str, Any]:
    from tests.web.browser import Browser

    browser = Browser(workdir / f"profile-{run}", timeout=60)
    try:
        browser.call("Page.addScriptToEvaluateOnNewDocument", session=True, source=_PROBE)
        browser.goto(f"{base}/app/login/?next={quote(next_path)}")
        browser.wait_for('!document.getElementById("login-submit").disabled')
        browser.evaluate(
            f'document.getElementById("login-username").value = {json.dumps(username)};'
            f'document.getElementById("login-password").value = {json.dumps(PASSWORD)};'
            'sessionStorage.setItem("__benchT0", String(Date.now()));'
            'document.getElementById("login-form").requestSubmit(); true'
        )
        browser.wait_for("location.pathname === '/app/' && !!window.__chartsAt")
        result: dict[str, Any] = browser.evaluate(_RESULT)
        problems = browser.problems()
        if problems:
            raise RuntimeError(f"the page reported errors: {problems}")
        return result
    finally:
        browser.close()


def _waterfall(result: dict[str, Any]) -> None:
    print(
        f"  POST /auth/token {result['token']:.0f} ms; the dashboard page navigation "
        f"started at {result['navigation']:.0f} ms"
    )
    for entry in result["requests"]:
        print(f"  {entry['start']:>6} → {entry['end']:>6} ms  {entry['name'][:90]}")
    print(f"  figures on screen at {result['figures']} ms, charts at {result['charts']} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    parser.add_argument("--shape", default="demo")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--next",
        default="/app/?period=last_30_days",
        help="the page the login goes to (the bench data ends on bench.matrix.TODAY, so the "
        "default current month may hold no data; the last 30 days do)",
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        _prepare(args)
        return 0
    if args.database_url.startswith("postgres"):
        if not pg_reachable(args.database_url):
            print(f"SKIP: PostgreSQL is not reachable for {args.database_url}")
            return 2
        pg_create_database(args.database_url)
    prefix = f"bench-sign-in-{secrets.token_hex(4)}"
    env = _env(args, prefix)
    prepared = subprocess.run(  # nosec B603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "bench.sign_in",
            "--prepare",
            "--shape",
            args.shape,
            "--size",
            str(args.size),
            "--database-url",
            args.database_url,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    username = json.loads(prepared.stdout.strip().splitlines()[-1])["username"]
    workdir = Path(tempfile.mkdtemp(prefix="findash-sign-in-"))
    server = Server("findash", "config.wsgi:application", env, workdir)
    base = f"http://127.0.0.1:{server.port}"
    results: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": []}
    try:
        server.wait_ready("/health")
        _sign_in(
            base, args.next, username, workdir, 0
        )  # workers, connections and static files warm
        for run in range(args.runs):
            _cache_clear(args.cache_url, prefix)
            results["cold"].append(_sign_in(base, args.next, username, workdir, 2 * run + 1))
            results["warm"].append(_sign_in(base, args.next, username, workdir, 2 * run + 2))
    finally:
        server.stop()
    print(
        f"sign-in to figures: {args.shape} {args.size:,} rows, "
        f"{urlparse(args.database_url).scheme}, gunicorn deploy/gunicorn.conf.py, production "
        f"settings, {args.cache_url}; headless Chromium, new profile each run; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for state, runs in results.items():
        figures = [r["figures"] for r in runs]
        charts = [r["charts"] for r in runs]
        tokens = [r["token"] for r in runs]
        print(
            f"{state}: figures median {statistics.median(figures):.0f} ms "
            f"(min {min(figures):.0f}, max {max(figures):.0f}); charts median "
            f"{statistics.median(charts):.0f} ms; of which POST /auth/token median "
            f"{statistics.median(tokens):.0f} ms"
        )
    print("first cold run:")
    _waterfall(results["cold"][0])
    print("first warm run:")
    _waterfall(results["warm"][0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
