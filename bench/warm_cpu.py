"""In-process CPU per warm request: the steadier twin of ``bench.warm`` on a busy machine.

Calls each app's WSGI handler directly (no gunicorn, no sockets) ``--requests`` times
and prints the process CPU time per request: the bare django-ninja hello, findash's
``/version``, a cached ``GET /financial/dashboard`` and the same answered 304. findash
runs with production settings, the Redis cache and PostgreSQL (the database
``bench.warm`` prepares); each app in a process of its own. ``--profile NAME`` prints a
cProfile of that target instead.

    .venv/bin/python -m bench.warm_cpu
    .venv/bin/python -m bench.warm_cpu --profile "dashboard 304"
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.warm import DEFAULT_CACHE_URL, DEFAULT_DATABASE_URL, findash_env, prepare_database

Target = tuple[str, str, dict[str, str]]


def _environ(path: str, headers: dict[str, str]) -> dict[str, Any]:
    path_info, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _call(app: Callable[..., Any], path: str, headers: dict[str, str]) -> tuple[str, bytes]:
    status: list[str] = []

    def start_response(code: str, response_headers: list[tuple[str, str]], *exc: Any) -> None:
        status.append(code)
        status.extend(f"{k}: {v}" for k, v in response_headers if k == "ETag")

    result = app(_environ(path, headers), start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()  # request_finished runs here, as under gunicorn
    return "\n".join(status), body


def _cpu_per_request(
    app: Callable[..., Any], path: str, headers: dict[str, str], requests: int, rounds: int
) -> list[float]:
    for _ in range(min(requests, 200)):  # warm every memo
        _call(app, path, headers)
    per_round = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            _call(app, path, headers)
        per_round.append((time.process_time() - started) / requests * 1e6)
    return per_round


def _findash_targets(app: Callable[..., Any], dashboard: str) -> list[Target]:
    from django.contrib.auth.models import User

    from findash.tenancy.tokens import token_pair_issue

    user = User.objects.get(username="demo")
    auth = {"Authorization": f"Bearer {token_pair_issue(user=user).access_token}"}
    status, _ = _call(app, dashboard, auth)
    etag = status.split("ETag: ", 1)[-1] if "ETag: " in status else ""
    if not status.startswith("200") or not etag:
        raise RuntimeError(f"GET {dashboard} answered {status!r}")
    if not _call(app, dashboard, {**auth, "If-None-Match": etag})[0].startswith("304"):
        raise RuntimeError(f"GET {dashboard} with If-None-Match did not answer 304")
    return [
        ("/version", "/version", {}),
        ("dashboard cached", dashboard, auth),
        ("dashboard 304", dashboard, {**auth, "If-None-Match": etag}),
    ]


def child(app_name: str, requests: int, rounds: int, profile: str, dashboard: str) -> None:
    """Runs in a process of its own: one app, every target, JSON on stdout."""
    import django
    from django.core.wsgi import get_wsgi_application

    plan: list[Target] = [("bare ninja hello", "/hello", {})]
    if app_name == "bare":
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.warm_hello.settings"
        django.setup(set_prefix=False)
        app = get_wsgi_application()
    else:
        from config.wsgi import application as app  # what gunicorn serves

        plan = _findash_targets(app, dashboard)
    if profile:
        import cProfile
        import pstats

        _, path, headers = next(t for t in plan if t[0] == profile)
        for _ in range(200):
            _call(app, path, headers)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(requests):
            _call(app, path, headers)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(60)
        return
    out = {name: _cpu_per_request(app, path, h, requests, rounds) for name, path, h in plan}
    print(json.dumps(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    parser.add_argument("--path", default="/financial/dashboard", help="the cached request")
    parser.add_argument("--profile", default="", help="cProfile this target instead")
    parser.add_argument("--no-prepare", action="store_true", help="the database is ready")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.requests, args.rounds, args.profile, args.path)
        return 0
    env = findash_env(args)
    # As under gunicorn: metrics in multiprocess mode (files under this directory).
    metrics_dir = tempfile.mkdtemp(prefix="findash-warm-cpu-")
    env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    if not args.no_prepare:
        prepare_database(env)
    results: dict[str, list[float]] = {}
    apps = ["bare", "findash"]
    if args.profile:
        apps = ["bare"] if args.profile == "bare ninja hello" else ["findash"]
    for app in apps:
        command = [sys.executable, "-m", "bench.warm_cpu", "--child", app, *_passed(args)]
        # The access log goes to stderr: to a file, as under gunicorn (not a pipe).
        with tempfile.TemporaryFile() as log:
            done = subprocess.run(  # nosec B603 - our own interpreter
                command,
                env=env if app == "findash" else dict(os.environ),
                stdout=subprocess.PIPE,
                stderr=log,
            )
            if done.returncode != 0:
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace")[-4000:])
                return 1
        if args.profile:
            sys.stdout.write(done.stdout.decode(errors="replace"))
            continue
        results.update(json.loads(done.stdout.decode().strip().splitlines()[-1]))
    shutil.rmtree(metrics_dir, ignore_errors=True)
    if args.profile:
        return 0
    floor = statistics.median(results["bare ninja hello"])
    print(f"in-process CPU per request, {args.requests} requests x {args.rounds} rounds (median)")
    print(f"{'target':<20} {'CPU µs':>8} {'min':>7} {'x hello':>8}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:<20} {median:>8.1f} {min(values):>7.1f} {median / floor:>8.2f}")
    return 0


def _passed(args: argparse.Namespace) -> list[str]:
    passed = ["--requests", str(args.requests), "--rounds", str(args.rounds), "--path", args.path]
    return passed + (["--profile", args.profile] if args.profile else [])


if __name__ == "__main__":
    sys.exit(main())
