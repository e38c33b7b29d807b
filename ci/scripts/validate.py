"""Check a running findash over HTTP: health, version, dashboard with a real token, metrics.

Used by ci/validate-deployment.sh (through nginx) and by the blue-green deploy
(directly on the new slot's port, before any traffic moves). Standard library
only, so it runs with any Python 3.11. Exit status 0 only when every check passed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import ssl
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DASHBOARD_PATHS = (
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
)


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body.decode())


@dataclass
class Client:
    base_url: str
    cafile: str | None = None
    forwarded_proto: str | None = None
    timeout: float = 10.0
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None) -> Response:
        parts = urlsplit(self.base_url)
        host, port = parts.hostname or "127.0.0.1", parts.port
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=self.cafile)
            conn = http.client.HTTPSConnection(host, port, timeout=self.timeout, context=context)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
        headers = {"Accept": "application/json", **self.headers}
        if self.forwarded_proto:
            headers["X-Forwarded-Proto"] = self.forwarded_proto
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=payload, headers=headers)
            raw = conn.getresponse()
            return Response(raw.status, raw.read(), {k.lower(): v for k, v in raw.getheaders()})
        finally:
            conn.close()


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def ok(self, message: str) -> None:
        print(f"✅ {message}")

    def skip(self, message: str) -> None:
        print(f"⚠️  {message}")

    def fail(self, message: str) -> None:
        print(f"❌ {message}")
        self.failures.append(message)


def _describe(resp: Response) -> str:
    return f"HTTP {resp.status}: {resp.body[:200].decode(errors='replace')}"


def check_health(client: Client, report: Report, strict: bool) -> None:
    resp = client.request("GET", "/health")
    if resp.status == 200 and resp.json().get("status") == "healthy":
        report.ok("Web service: healthy (/health)")
    else:
        report.fail(f"/health is not healthy: {_describe(resp)}")
    resp = client.request("GET", "/health/dashboard")
    if resp.status == 404 and not strict:
        report.skip("/health/dashboard is not served by this release")
    elif resp.status == 200 and resp.json().get("status") == "healthy":
        services = resp.json().get("services", {})
        names = ", ".join(f"{k} {v.get('status')}" for k, v in services.items())
        report.ok(f"Dashboard health: healthy ({names})")
    else:
        report.fail(f"/health/dashboard is not healthy: {_describe(resp)}")


def check_version(client: Client, report: Report, expected: str | None) -> None:
    resp = client.request("GET", "/version")
    if resp.status != 200:
        report.fail(f"/version failed: {_describe(resp)}")
        return
    data = resp.json()
    release = data.get("release")
    if expected and release != expected:
        report.fail(f"/version reports release {release!r}, expected {expected!r}")
    else:
        report.ok(f"Version: release {release} (git {str(data.get('git_sha'))[:12]})")


def obtain_token(client: Client, report: Report, state: Path, strict: bool) -> str | None:
    creds_file = state / "validator"
    if not creds_file.exists():
        report.fail(f"no validation user ({creds_file} is missing)")
        return None
    creds = json.loads(creds_file.read_text())
    resp = client.request(
        "POST", "/auth/token", {"username": creds["username"], "password": creds["password"]}
    )
    if resp.status == 200:
        report.ok("Authentication: POST /auth/token issued a token")
        return str(resp.json()["access_token"])
    if resp.status == 404 and not strict:
        report.skip("POST /auth/token is not served by this release; using a minted token")
        return str(creds["token"])
    report.fail(f"POST /auth/token failed for the validation user: {_describe(resp)}")
    return None


def check_dashboard(client: Client, report: Report, token: str, strict: bool) -> None:
    authed = Client(
        client.base_url,
        client.cafile,
        client.forwarded_proto,
        client.timeout,
        {"Authorization": f"Bearer {token}"},
    )
    missing: list[str] = []
    for path in DASHBOARD_PATHS:
        resp = authed.request("GET", path)
        if resp.status == 404 and b"is disabled" in resp.body:
            report.fail(f"{path}: the dashboard feature flag is off")
        elif resp.status == 404:
            missing.append(path)
        elif resp.status != 200:
            report.fail(f"{path} failed: {_describe(resp)}")
        else:
            try:
                resp.json()
            except ValueError:
                report.fail(f"{path} did not answer JSON")
                continue
            report.ok(f"Dashboard endpoint {path}: 200")
    if missing and strict:
        report.fail(f"dashboard endpoints missing: {', '.join(missing)}")
    elif missing:
        report.skip(f"not served by this release: {', '.join(missing)}")


def check_metrics(client: Client, report: Report, strict: bool) -> None:
    resp = client.request("GET", "/metrics")
    if resp.status == 404 and not strict:
        report.skip("/metrics is not served by this release")
    elif resp.status == 200 and b"# TYPE" in resp.body:
        report.ok("Metrics: /metrics serves Prometheus text")
    else:
        report.fail(f"/metrics failed: {_describe(resp)}")


def wait_until_serving(client: Client, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.request("GET", "/version")
            return
        except OSError:
            pass
        if time.monotonic() >= deadline:
            return
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="base URL, e.g. https://127.0.0.1:443")
    parser.add_argument(
        "--state", required=True, type=Path, help="the environment's state directory"
    )
    parser.add_argument("--expect-release", default=None)
    parser.add_argument("--cafile", default=None, help="trust this certificate (self-signed)")
    parser.add_argument("--forwarded-proto", default=None, help="send X-Forwarded-Proto")
    parser.add_argument("--strict", action="store_true", help="a missing endpoint fails")
    parser.add_argument("--quick", action="store_true", help="health and version only")
    parser.add_argument("--label", default="deployment")
    args = parser.parse_args(argv)

    client = Client(args.url, args.cafile, args.forwarded_proto)
    report = Report()
    wait_until_serving(client, 10)
    try:
        check_health(client, report, args.strict)
        check_version(client, report, args.expect_release)
        if not args.quick:
            token = obtain_token(client, report, args.state, args.strict)
            if token:
                check_dashboard(client, report, token, args.strict)
            check_metrics(client, report, args.strict)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        report.fail(f"{args.url} did not answer properly: {exc!r}")
    if report.failures:
        print(f"❌ {args.label} validation failed at {args.url}: {len(report.failures)} problem(s)")
        return 1
    print(f"✅ {args.label} validation passed at {args.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
