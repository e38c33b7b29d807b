"""The container nginx configs, run for real on loopback in front of stand-in replicas.

Each config is rendered the way ci/check-configs.sh renders it (compose hostnames become
127.0.0.1 ports, /etc/nginx paths point at the repository and a throwaway certificate),
except that it listens on free loopback ports and `web` becomes several replicas.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tests.shipping.repo_files import ROOT, require_tool

NGINX_DIR = ROOT / "deploy" / "nginx"
UPSTREAM = "server web:8000 max_fails=2 fail_timeout=5s;"


class Replica(BaseHTTPRequestHandler):
    """Answers like a web replica: which replica it is and the headers nginx passed on."""

    status = 200

    def do_GET(self) -> None:
        body = json.dumps(
            {
                "replica": self.connection.getsockname()[1],
                "path": self.path,
                "host": self.headers.get("Host"),
                "forwarded_proto": self.headers.get("X-Forwarded-Proto"),
                "request_id": self.headers.get("X-Request-ID"),
            }
        ).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class ShuttingDownReplica(Replica):
    status = 503


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def replica(handler: type[Replica]) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(  # the same install ci/check-configs.sh does
            ["apt-get", "install", "-y", "-qq", "nginx"],
            capture_output=True,
            check=False,
            timeout=300,
        )
        found = shutil.which("/usr/sbin/nginx")
    return require_tool(found or "nginx", "Debian package nginx")


def certificate(directory: Path) -> None:
    require_tool("openssl", "Debian package openssl")
    directory.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(directory / "privkey.pem"),
            "-out",
            str(directory / "fullchain.pem"),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )


@dataclass
class Proxy:
    http: int
    https: int
    tls_dir: Path

    def url(self, path: str, *, tls: bool = False) -> str:
        if tls:
            return f"https://127.0.0.1:{self.https}{path}"
        return f"http://127.0.0.1:{self.http}{path}"

    def get(self, path: str, *, tls: bool = False) -> requests.Response:
        return requests.get(
            self.url(path, tls=tls),
            timeout=10,
            allow_redirects=False,
            verify=str(self.tls_dir / "fullchain.pem"),
        )


def render(conf: str, replicas: list[int], proxy: Proxy) -> str:
    text = (NGINX_DIR / conf).read_text()
    assert UPSTREAM in text
    servers = "\n    ".join(
        f"server 127.0.0.1:{port} max_fails=2 fail_timeout=5s;" for port in replicas
    )
    text = text.replace(UPSTREAM, servers)
    text = text.replace("/etc/nginx/snippets/", f"{NGINX_DIR}/snippets/")
    text = text.replace("/etc/nginx/ssl/", f"{proxy.tls_dir}/")
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{proxy.http};")
    return text.replace("listen 443 ssl", f"listen 127.0.0.1:{proxy.https} ssl")


@contextmanager
def running_nginx(conf: str, replicas: list[int], tmp_path: Path) -> Iterator[Proxy]:
    nginx = nginx_binary()
    proxy = Proxy(http=free_port(), https=free_port(), tls_dir=tmp_path / "tls")
    certificate(proxy.tls_dir)
    (tmp_path / "temp").mkdir()
    site = tmp_path / "site.conf"
    site.write_text(render(conf, replicas, proxy))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "worker_processes 1;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    access_log off;\n"
        + "".join(
            f"    {kind}_temp_path {tmp_path}/temp/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {site};\n"
        "}\n"
    )
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", proxy.http), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    error_log = (tmp_path / "error.log").read_text(errors="replace")
                    raise AssertionError(f"nginx did not start: {output}{error_log}") from None
                time.sleep(0.05)
        yield proxy
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_staging_balances_over_the_replicas_and_passes_the_request_headers(
    tmp_path: Path,
) -> None:
    with (
        replica(Replica) as one,
        replica(Replica) as two,
        running_nginx("staging.conf", [one, two], tmp_path) as proxy,
    ):
        answers = [proxy.get(f"/financial/dashboard?n={n}") for n in range(8)]
        health = proxy.get("/nginx-health")
    assert all(answer.status_code == 200 for answer in answers)
    bodies = [answer.json() for answer in answers]
    assert {body["replica"] for body in bodies} == {one, two}
    assert all(body["forwarded_proto"] == "http" for body in bodies)
    assert len({body["request_id"] for body in bodies}) == len(bodies)
    assert bodies[0]["path"] == "/financial/dashboard?n=0"
    assert health.status_code == 200 and health.text == "ok\n"


def test_staging_retries_a_dead_or_shutting_down_replica(tmp_path: Path) -> None:
    dead = free_port()  # nothing listens here: a replica that was killed
    with (
        replica(Replica) as alive,
        replica(ShuttingDownReplica) as draining,
        running_nginx("staging.conf", [dead, draining, alive], tmp_path) as proxy,
    ):
        answers = [proxy.get("/financial/dashboard/summary") for _ in range(12)]
    assert [answer.status_code for answer in answers] == [200] * 12
    assert {answer.json()["replica"] for answer in answers} == {alive}


def test_production_serves_tls_and_redirects_plain_http(tmp_path: Path) -> None:
    with (
        replica(Replica) as one,
        replica(Replica) as two,
        replica(Replica) as three,
        running_nginx("production.conf", [one, two, three], tmp_path) as proxy,
    ):
        secure = proxy.get("/financial/dashboard", tls=True)
        redirect = proxy.get("/financial/dashboard?period=month")
        plain_health = proxy.get("/health")
    assert secure.status_code == 200
    assert secure.json()["forwarded_proto"] == "https"
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "https://127.0.0.1/financial/dashboard?period=month"
    # Load balancers probe /health over plain HTTP; it is not redirected.
    assert plain_health.status_code == 200
    assert plain_health.json()["path"] == "/health"
