from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings
from prometheus_client import REGISTRY

from config.settings.cache import cache_config
from tests.observability import urls as fake_urls
from tests.services import require_service

BACKENDS = {
    "locmem": "locmem://obs-tests",
    "redis": "redis://127.0.0.1:6379/0",
    "memcached": "pymemcache://127.0.0.1:11211",
}


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def cache_settings(url: str) -> dict[str, Any]:
    config = cache_config(url)
    config["KEY_PREFIX"] = uuid.uuid4().hex  # xdist workers share Redis and memcached
    return {"default": config}


@pytest.fixture(params=list(BACKENDS))
def cache_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    name = request.param
    if name != "locmem":
        require_service(name)
    with override_settings(CACHES=cache_settings(BACKENDS[name])):
        caches["default"].clear() if name == "locmem" else None
        yield name


@pytest.fixture
def fake_dashboard(settings: Any) -> Iterator[list[int]]:
    settings.ROOT_URLCONF = "tests.observability.urls"
    fake_urls.COMPUTED.clear()
    fake_urls.DURING_COMPUTE.clear()
    yield fake_urls.COMPUTED


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections but never answers: a hung cache."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@pytest.fixture
def closed_port() -> int:
    """A port nobody listens on: a cache that is down."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port
