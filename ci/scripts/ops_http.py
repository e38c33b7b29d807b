"""HTTP-side operator checks of a running findash (standard library only).

    ops_http.py perf --url U [--state DIR] [--requests N] [--concurrency C] [--p95-ms X] ...
        latency of /health and the five dashboard endpoints (the validation user's token),
        p50/p95/p99 per endpoint against targets; exit 1 when a target is missed
    ops_http.py metrics --url U            what /metrics says: requests, errors, latency
        quantiles (from the histogram buckets), cache hit ratio, tenants, CPU and memory
    ops_http.py watch --url U --duration 30m [--interval 30s] [--max-error-ratio R]
        [--max-p99 S] [--prometheus URL]   error ratio and p99 per interval for a duration;
        exit 1 when any interval breaks a limit
    ops_http.py logs [FILE...]             the access log lines (JSON) per endpoint: count,
        p50/p95/p99, cache hits, 5xx; stdin when no file is given
    ops_http.py security --url U           response headers, TLS, debug pages, cookies

Used by the scripts in monitoring/, scripts/, security/ and performance/ (see
docs/DEPLOYMENT.md); the URL and state directory come from ci/scripts/lib.sh.
"""

from __future__ import annotations

import argparse
import json
import re
import ssl
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

DASHBOARD = (
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
)
_CONTEXT = ssl.create_default_context()


def _context(cafile: str | None, insecure: bool) -> ssl.SSLContext:
    if insecure:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    return ssl.create_default_context(cafile=cafile) if cafile else _CONTEXT


def fetch(
    url: str,
    *,
    token: str | None = None,
    body: Any = None,
    timeout: float = 10.0,
    ctx: ssl.SSLContext = _CONTEXT,
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=ctx) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def validator_token(url: str, state: Path | None, ctx: ssl.SSLContext) -> str | None:
    if state is None or not (state / "validator").exists():
        return None
    creds = json.loads((state / "validator").read_text())
    status, _, raw = fetch(
        url + "/auth/token",
        body={"username": creds["username"], "password": creds["password"]},
        ctx=ctx,
    )
    return str(json.loads(raw)["access_token"]) if status == 200 else None


def duration(text: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90s, 30m, 1h)")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ----------------------------------------------------------------------------- perf
def perf(args: argparse.Namespace) -> int:
    ctx = _context(args.cafile, args.insecure)
    token = validator_token(args.url, args.state, ctx)
    paths = ["/health", *(DASHBOARD if token else ())]
    if not token:
        print("⚠️  no validation user in the state directory: only /health is measured")
    failed = 0
    print(f"{'endpoint':38} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for path in paths:

        def one(_: int, path: str = path) -> tuple[float, int]:
            started = time.perf_counter()
            status, _, _ = fetch(args.url + path, token=token, ctx=ctx)
            return (time.perf_counter() - started) * 1000, status

        # One warm-up request: the first answer fills the cache and is not what users see.
        one(0)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(one, range(args.requests)))
        times = [ms for ms, _ in results]
        errors = sum(1 for _, status in results if status >= 400)
        p50, p95, p99 = (quantile(times, q) for q in (0.5, 0.95, 0.99))
        target = args.p95_ms if path in DASHBOARD else args.health_p95_ms
        verdict = "✅" if p95 <= target and errors == 0 else "❌"
        failed |= verdict == "❌"
        print(
            f"{verdict} {path:36} {len(times):5} {p50:8.1f} {p95:8.1f} {p99:8.1f} {errors:7}"
            f"   (target p95 ≤ {target:.0f} ms)"
        )
    print("❌ performance targets missed" if failed else "✅ performance targets met")
    return 1 if failed else 0


# -------------------------------------------------------------------------- metrics
_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")


def parse_metrics(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if match:
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            samples.append((match.group(1), labels, float(match.group(3))))
    return samples


def scrape(url: str, ctx: ssl.SSLContext) -> list[tuple[str, dict[str, str], float]]:
    status, _, raw = fetch(url + "/metrics", ctx=ctx)
    if status != 200:
        raise SystemExit(f"❌ GET {url}/metrics answered {status}")
    return parse_metrics(raw.decode())


def total(samples: Iterable[tuple[str, dict[str, str], float]], name: str, **match: str) -> float:
    return sum(
        v
        for n, labels, v in samples
        if n == name
        and all(re.fullmatch(pattern, labels.get(key, "")) for key, pattern in match.items())
    )


def histogram_quantile(q: float, buckets: dict[float, float]) -> float | None:
    """Prometheus' histogram_quantile over cumulative bucket counts {le: count}."""
    if not buckets:
        return None
    edges = sorted(buckets)
    count = buckets[edges[-1]]
    if count <= 0:
        return None
    rank, lower, below = q * count, 0.0, 0.0
    for edge in edges:
        if buckets[edge] >= rank:
            if edge == float("inf"):
                return lower
            share = (rank - below) / max(buckets[edge] - below, 1e-12)
            return lower + (edge - lower) * share
        lower, below = edge, buckets[edge]
    return lower


def buckets_of(
    samples: list[tuple[str, dict[str, str], float]], name: str, by: str | None = None
) -> dict[str, dict[float, float]]:
    grouped: dict[str, dict[float, float]] = defaultdict(lambda: defaultdict(float))
    for n, labels, value in samples:
        if n == f"{name}_bucket":
            grouped[labels.get(by, "") if by else ""][float(labels["le"])] += value
    return grouped


def metrics(args: argparse.Namespace) -> int:
    samples = scrape(args.url, _context(args.cafile, args.insecure))
    requests = total(samples, "dashboard_requests_total")
    errors = total(samples, "dashboard_requests_total", status="5..")
    hits, misses = (
        total(samples, "dashboard_cache_hits_total"),
        total(samples, "dashboard_cache_misses_total"),
    )
    http_all = total(samples, "http_requests_total")
    http_5xx = total(samples, "http_requests_total", status="5..")
    print(f"findash metrics at {args.url} (counters since the serving processes started)")
    print(
        f"  dashboard requests      {requests:.0f}   5xx {errors:.0f} "
        f"({(errors / requests if requests else 0):.3%})"
    )
    print(
        f"  all HTTP requests       {http_all:.0f}   5xx {http_5xx:.0f} "
        f"({(http_5xx / http_all if http_all else 0):.3%})"
    )
    ratio = hits / (hits + misses) if hits + misses else None
    print(
        f"  dashboard cache         {hits:.0f} hits / {misses:.0f} misses"
        + (f" = {ratio:.1%} hit ratio (target > 80 %)" if ratio is not None else "")
    )
    print(f"  active tenants (15 min) {total(samples, 'dashboard_active_tenants'):.0f}")
    print("  latency by endpoint     p50 / p90 / p99 (ms, from the histogram buckets)")
    for endpoint, buckets in sorted(
        buckets_of(samples, "dashboard_request_duration_seconds", "endpoint").items()
    ):
        qs = [histogram_quantile(q, buckets) for q in (0.5, 0.9, 0.99)]
        shown = " / ".join("-" if v is None else f"{v * 1000:.0f}" for v in qs)
        print(f"    {endpoint:34} {shown}   ({buckets[max(buckets)]:.0f} requests)")
    cpu, limit = (
        total(samples, "findash_cpu_seconds_total"),
        total(samples, "findash_cpu_limit_cores"),
    )
    rss, mem_limit = (
        total(samples, "findash_resident_memory_bytes"),
        total(samples, "findash_memory_limit_bytes"),
    )
    if mem_limit:
        print(
            f"  processes               {total(samples, 'findash_processes'):.0f}, "
            f"CPU {cpu:.1f} s used "
            f"(limit {limit:g} cores), memory {rss / 2**20:.0f} MiB of {mem_limit / 2**20:.0f} MiB"
        )
    health = [
        (labels.get("service"), v) for n, labels, v in samples if n == "dashboard_health_status"
    ]
    if health:
        print(
            "  dependencies            "
            + ", ".join(f"{s} {'up' if v else 'DOWN'}" for s, v in health)
        )
    bad = (requests and errors / requests > 0.001) or any(v == 0 for _, v in health)
    print(
        "❌ dashboard error ratio above 0.1 % or a dependency down"
        if bad
        else "✅ dashboard metrics within targets"
    )
    return 1 if bad else 0


# ---------------------------------------------------------------------------- watch
def _prometheus(url: str, query: str) -> float | None:
    status, _, raw = fetch(
        url.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": query})
    )
    if status != 200:
        raise SystemExit(f"❌ Prometheus at {url} answered {status}")
    result = json.loads(raw)["data"]["result"]
    return max(float(r["value"][1]) for r in result) if result else None


def watch(args: argparse.Namespace) -> int:
    ctx = _context(args.cafile, args.insecure)
    deadline = time.monotonic() + args.duration
    breaches = intervals = 0
    source = f"Prometheus {args.prometheus}" if args.prometheus else f"{args.url}/metrics"
    print(
        f"watching {source} for {args.duration:.0f}s every {args.interval:.0f}s: error ratio ≤ "
        f"{args.max_error_ratio:.2%}, p99 ≤ {args.max_p99 * 1000:.0f} ms"
    )
    before = None if args.prometheus else scrape(args.url, ctx)
    while time.monotonic() < deadline:
        time.sleep(min(args.interval, max(0.0, deadline - time.monotonic())))
        intervals += 1
        if args.prometheus:
            ratio = _prometheus(args.prometheus, "max(http_error_ratio)") or 0.0
            p99 = _prometheus(args.prometheus, "max(dashboard:request_duration_seconds:p99)")
            count = _prometheus(args.prometheus, "sum(rate(http_requests_total[5m]))") or 0.0
        else:
            after = scrape(args.url, ctx)
            assert before is not None
            count = total(after, "http_requests_total") - total(before, "http_requests_total")
            failed = total(after, "http_requests_total", status="5..") - total(
                before, "http_requests_total", status="5.."
            )
            ratio = failed / count if count > 0 else 0.0
            now_b = buckets_of(after, "dashboard_request_duration_seconds")[""]
            then_b = buckets_of(before, "dashboard_request_duration_seconds").get("", {})
            p99 = histogram_quantile(0.99, {le: now_b[le] - then_b.get(le, 0.0) for le in now_b})
            before = after
        bad = ratio > args.max_error_ratio or (p99 is not None and p99 > args.max_p99)
        breaches += bad
        shown = "-" if p99 is None else f"{p99 * 1000:.0f} ms"
        print(
            f"{'❌' if bad else '✅'} {time.strftime('%H:%M:%S')}  requests {count:.0f}  "
            f"error ratio {ratio:.3%}  dashboard p99 {shown}",
            flush=True,
        )
    print(
        f"{'❌' if breaches else '✅'} {intervals - breaches}/{intervals} "
        "intervals within the limits"
    )
    return 1 if breaches else 0


# ----------------------------------------------------------------------------- logs
def logs(args: argparse.Namespace) -> int:
    per: dict[str, list[float]] = defaultdict(list)
    hits: dict[str, int] = defaultdict(int)
    errors: dict[str, int] = defaultdict(int)
    streams = [open(p, encoding="utf-8", errors="replace") for p in args.files] or [sys.stdin]  # noqa: SIM115
    lines = 0
    for stream in streams:
        for line in stream:
            start = line.find("{")
            if start < 0:
                continue
            try:
                entry = json.loads(line[start:])
            except ValueError:
                continue
            if entry.get("event") != "request" or "duration_ms" not in entry:
                continue
            endpoint = str(entry.get("endpoint") or entry.get("path"))
            if args.dashboard_only and not endpoint.startswith("/financial/dashboard"):
                continue
            lines += 1
            per[endpoint].append(float(entry["duration_ms"]))
            hits[endpoint] += entry.get("cache_hit") is True
            errors[endpoint] += int(entry.get("status", 0)) >= 500
    if not lines:
        print("no request lines found (the app logs one JSON line per request, event=request)")
        return 1
    print(
        f"{lines} requests\n{'endpoint':38} {'n':>6} {'mean':>7} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'cache':>6} {'5xx':>5}"
    )
    slow = 0
    for endpoint, times in sorted(per.items(), key=lambda kv: -quantile(kv[1], 0.95)):
        p95 = quantile(times, 0.95)
        slow += endpoint.startswith("/financial/dashboard") and p95 > args.p95_ms
        print(
            f"{endpoint:38} {len(times):6} {statistics.fmean(times):7.1f} "
            f"{quantile(times, 0.5):7.1f} "
            f"{p95:7.1f} {quantile(times, 0.99):7.1f} "
            f"{hits[endpoint] / len(times):6.0%} {errors[endpoint]:5}"
        )
    print("(milliseconds)")
    if slow:
        print(f"❌ {slow} dashboard endpoint(s) over the p95 target of {args.p95_ms:.0f} ms")
    else:
        print(f"✅ every dashboard endpoint within the p95 target of {args.p95_ms:.0f} ms")
    return 1 if slow else 0


# ------------------------------------------------------------------------- security
def security(args: argparse.Namespace) -> int:
    ctx = _context(args.cafile, args.insecure)
    failed = 0

    def check(ok: bool, good: str, bad: str) -> None:
        nonlocal failed
        failed |= not ok
        print(f"✅ {good}" if ok else f"❌ {bad}")

    status, headers, _ = fetch(args.url + "/health", ctx=ctx)
    lower = {k.lower(): v for k, v in headers.items()}
    https = args.url.startswith("https://")
    check(status == 200, "GET /health answers 200", f"GET /health answered {status}")
    check(
        lower.get("x-content-type-options") == "nosniff",
        "X-Content-Type-Options: nosniff",
        "X-Content-Type-Options: nosniff is missing",
    )
    check(
        lower.get("x-frame-options", "").upper() in ("DENY", "SAMEORIGIN"),
        f"X-Frame-Options: {lower.get('x-frame-options')}",
        "X-Frame-Options is missing",
    )
    check(
        "referrer-policy" in lower,
        f"Referrer-Policy: {lower.get('referrer-policy')}",
        "Referrer-Policy is missing",
    )
    server = lower.get("server", "")
    check(
        not re.search(r"\d", server),
        f"Server header names no version ({server or 'none'})",
        f"Server header reveals a version: {server}",
    )
    if https:
        hsts = lower.get("strict-transport-security", "")
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1)) if "max-age=" in hsts else 0  # type: ignore[union-attr]
        check(
            max_age >= 15552000,
            f"HSTS max-age={max_age}",
            f"HSTS missing or shorter than 180 days ({hsts!r})",
        )
        parts = urllib.parse.urlsplit(args.url)
        import socket

        with (
            socket.create_connection((parts.hostname, parts.port or 443), timeout=5) as raw,
            ctx.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            version = tls.version() or ""
            cert = tls.getpeercert() or {}
        check(
            version in ("TLSv1.2", "TLSv1.3"), f"TLS {version}", f"TLS version {version} is too old"
        )
        for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
            legacy = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            legacy.check_hostname, legacy.verify_mode = False, ssl.CERT_NONE
            try:
                legacy.minimum_version = legacy.maximum_version = old
                with (
                    socket.create_connection((parts.hostname, parts.port or 443), timeout=5) as raw,
                    legacy.wrap_socket(raw, server_hostname=parts.hostname),
                ):
                    accepted = True
            except (ssl.SSLError, OSError, ValueError):
                accepted = False
            check(not accepted, f"{old.name} refused", f"{old.name} is accepted")
        if cert.get("notAfter"):
            days = (ssl.cert_time_to_seconds(cert["notAfter"]) - time.time()) / 86400
            check(
                days > 14,
                f"certificate valid for {days:.0f} more days",
                f"certificate expires in {days:.0f} days",
            )
        plain = urllib.parse.urlunsplit(
            ("http", parts.hostname or "", "/financial/dashboard", "", "")
        )
        try:
            status, headers, _ = fetch(plain, timeout=5)
            location = {k.lower(): v for k, v in headers.items()}.get("location", "")
            check(
                status in (301, 308) and location.startswith("https://"),
                "plain HTTP redirects to HTTPS",
                f"plain HTTP answers {status} without a redirect to HTTPS",
            )
        except OSError:
            print("- no plain-HTTP listener (nothing to redirect)")
    else:
        print(
            "⚠️  plain HTTP: TLS, HSTS and the redirect are checked on an https:// URL "
            "(production terminates TLS in nginx)"
        )
    status, _, body = fetch(args.url + "/no-such-page-findash-security-check", ctx=ctx)
    text = body.decode(errors="replace")
    check(
        status == 404
        and "Traceback" not in text
        and "DEBUG = True" not in text
        and "URLconf" not in text,
        "no debug page (404 without Django's technical page)",
        "a debug page is served: DEBUG is on",
    )
    status, _, _ = fetch(args.url + "/financial/dashboard", ctx=ctx)
    check(
        status == 401,
        "the dashboard refuses anonymous calls (401)",
        f"anonymous dashboard call answered {status}",
    )
    status, _, _ = fetch(args.url + "/admin/", ctx=ctx)
    print(
        f"note: /admin/ answers {status} (Django admin; "
        "restrict it at the proxy if it must not be public)"
    )
    print("❌ security check failed" if failed else "✅ security check passed")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("perf", "metrics", "watch", "security"):
        p = sub.add_parser(name)
        p.add_argument("--url", required=True)
        p.add_argument("--cafile")
        p.add_argument("--insecure", action="store_true", help="do not verify the certificate")
        if name == "perf":
            p.add_argument("--state", type=Path)
            p.add_argument("--requests", type=int, default=50)
            p.add_argument("--concurrency", type=int, default=5)
            p.add_argument("--p95-ms", type=float, default=200.0, help="dashboard target")
            p.add_argument(
                "--health-p95-ms", type=float, default=100.0, help="API target (/health)"
            )
        if name == "watch":
            p.add_argument("--duration", type=duration, required=True)
            p.add_argument("--interval", type=duration, default=30.0)
            p.add_argument("--max-error-ratio", type=float, default=0.001)
            p.add_argument("--max-p99", type=float, default=0.2, help="seconds")
            p.add_argument(
                "--prometheus", help="query this Prometheus instead of scraping /metrics"
            )
    p = sub.add_parser("logs")
    p.add_argument("files", nargs="*")
    p.add_argument("--p95-ms", type=float, default=200.0)
    p.add_argument("--dashboard-only", action="store_true")
    args = parser.parse_args(argv)
    handler = {"perf": perf, "metrics": metrics, "watch": watch, "logs": logs, "security": security}
    return handler[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
