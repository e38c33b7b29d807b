"""Regression tests for the findings of the security review (issue 13), one module per area.

Each test replays what an attacker or a client generator did and asserts the answer a
user should get now. The suite runs on SQLite and again on PostgreSQL (ci/test.sh).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import REGISTRY

from findash.tenancy import ratelimit


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test counts attempts in keys of its own, whatever cache backend runs."""
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"security-test-{uuid.uuid4().hex}")
    yield


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def field_error(response: Any) -> list[Any]:
    """The `loc` of the first validation error, asserting the answer is a JSON 4xx."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail, detail
    return list(detail[0]["loc"])
