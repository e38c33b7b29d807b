from __future__ import annotations

import pytest

from tests.conftest import ApiClient

ENDPOINTS = [
    ("get", "/accounts"),
    ("post", "/accounts"),
    ("get", "/accounts/1"),
    ("patch", "/accounts/1"),
    ("delete", "/accounts/1"),
    ("get", "/categories"),
    ("post", "/categories"),
    ("get", "/categories/1"),
    ("patch", "/categories/1"),
    ("delete", "/categories/1"),
    ("get", "/transactions"),
    ("post", "/transactions"),
    ("post", "/transactions/bulk"),
    ("get", "/transactions/1"),
    ("patch", "/transactions/1"),
    ("delete", "/transactions/1"),
    ("post", "/transfers"),
    ("get", "/exchange-rates"),
    ("post", "/exchange-rates"),
    ("get", "/exchange-rates/1"),
    ("patch", "/exchange-rates/1"),
    ("delete", "/exchange-rates/1"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_ledger_endpoint_needs_a_token(anon: ApiClient, method: str, path: str) -> None:
    send = getattr(anon, method)
    response = send(path, {}) if method in {"post", "patch"} else send(path)
    assert response.status_code == 401
    bad = getattr(ApiClient(), method)
    response = (
        bad(path, {}, HTTP_AUTHORIZATION="Bearer not-a-token")
        if method in {"post", "patch"}
        else bad(path, HTTP_AUTHORIZATION="Bearer not-a-token")
    )
    assert response.status_code == 401
