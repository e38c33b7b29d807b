"""An unexpected error in an API handler is still a JSON answer, reported once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from findash.tenancy import selectors
from tests.conftest import World


def test_a_bug_in_a_handler_is_a_json_500_not_an_html_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "tenant_info_get", broken)
    client = world.client(world.owner)
    client.client = Client(raise_request_exception=False)

    response = client.get("/tenant/info")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "internal error; it has been reported"}


def test_no_list_uses_ninjas_unbounded_pagination() -> None:
    root = Path(__file__).resolve().parents[2] / "findash"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "LimitOffsetPagination" in path.read_text(encoding="utf-8")
        and path.name != "pagination.py"
    ]
    assert offenders == []


def test_a_url_that_matches_no_route_is_a_json_404_outside_the_pages(
    world: World, settings: Any
) -> None:
    settings.DEBUG = False
    client = world.client(world.owner)
    for path in ("/imports/null%2Cnull", "/no-such-endpoint", "/accounts/1/nothing"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json() == {"detail": "not found"}
    page = Client().get("/app/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
