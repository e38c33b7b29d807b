"""Regression tests for the findings of the security review (issue 13), one module per area.

Each test replays what an attacker or a client generator did and asserts the answer a
user should get now. The suite runs on SQLite and again on PostgreSQL (ci/test.sh).

- test_input_bounds: NUL bytes, huge offsets, ledger dates, amounts, token expiry and
  UTC offsets, body size
- test_large_amounts: sums of the largest amounts in the rollups
- test_dashboard_inputs: dashboard dates near 9999, ``If-None-Match: *``
- test_openapi_truth: every status documented with the error body, money as strings,
  unique schema names
- test_membership_consent: invitations instead of direct membership
- test_throttling: the admin login and registration limited like /auth/token, counted
- test_secrets: JWT_SECRET in production, revoked families end their access tokens
- test_json_errors_only: no HTML 500, one bounded pagination class
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
