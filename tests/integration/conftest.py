"""The integration suite talks HTTP to a running service.

By default that is a live server this test run starts (pytest-django's `live_server`, on a
free loopback port). `--base-url=http://127.0.0.1:8001` (or FINDASH_BASE_URL) points it at
a deployed environment instead, as the guide does for the testing environment; the tests
then register their own throw-away users there and read only their data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--base-url",
        default=os.environ.get("FINDASH_BASE_URL", ""),
        help="run tests/integration against this deployed findash instead of a live server",
    )


@pytest.fixture
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    configured = str(request.config.getoption("--base-url") or "")
    if configured:
        yield configured.rstrip("/")
        return
    server = request.getfixturevalue("live_server")
    yield str(server.url)
