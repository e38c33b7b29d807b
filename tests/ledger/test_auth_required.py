from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.ledger.conftest import Ledger

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


def test_api_tokens_read_with_either_scope_but_write_only_with_read_write(ledger: Ledger) -> None:
    from findash.tenancy.auth import Actor
    from findash.tenancy.models import Role
    from findash.tenancy.scoping import tenant_scope
    from findash.tenancy.services import api_token_create

    owner = Actor(ledger.world.owner, ledger.world.org, Role.OWNER)
    clients = {}
    for scope in ("read", "read_write"):
        with tenant_scope(ledger.world.org):  # the scope the API's auth enters
            secret = api_token_create(actor=owner, name=scope, scope=scope).token
        client = ApiClient()
        client.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        clients[scope] = client
    body = {"name": "Via token", "type": "cash", "currency": "USD"}
    assert clients["read"].get("/accounts").json()["count"] == 2
    assert clients["read"].post("/accounts", body).status_code == 403
    assert clients["read_write"].post("/accounts", body).status_code == 201
    assert clients["read"].get("/accounts").json()["count"] == 3
