"""Real servers for the notification tests: an SMTP server (aiosmtpd) and a webhook
receiver (http.server), both on 127.0.0.1 and a free port, stopped after the test."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Collect:
    def __init__(self, sink: list[EmailMessage], lock: threading.Lock) -> None:
        self.sink = sink
        self.lock = lock

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.sink.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received()


def smtp_start() -> tuple[SmtpServer, Controller]:
    server = SmtpServer("127.0.0.1", free_port())
    controller = Controller(
        _Collect(server.messages, server.lock), hostname=server.host, port=server.port
    )
    controller.start()
    return server, controller


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class WebhookReceiver:
    """Records each POST; ``answer(n)`` gives the status for the n-th request (1-based)."""

    url: str = ""
    hits: list[Hit] = field(default_factory=list)
    answer: Callable[[int], int] = lambda n: 200
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> list[Hit]:
        with self.lock:
            return list(self.hits)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Hit]:
        deadline = time.monotonic() + timeout
        while len(self.received()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received()


def webhook_receiver_start() -> tuple[WebhookReceiver, ThreadingHTTPServer]:
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.hits.append(Hit(self.path, dict(self.headers), body, time.monotonic()))
                number = len(receiver.hits)
            if receiver.delay:
                time.sleep(receiver.delay)
            self.send_response(receiver.answer(number))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
