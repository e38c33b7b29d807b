"""The dashboard: dates near year 9999 are a 422 naming the parameter; `If-None-Match: *`
does not turn every request into a bodiless 304."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.security.conftest import field_error

ENDPOINTS = (
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
)


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    ("start", "end", "name"),
    [
        ("9999-12-01", "9999-12-31", "start"),
        ("2200-12-01", "9999-12-31", "end"),
        ("0001-01-01", "0001-12-31", "start"),
        ("1899-12-31", "1900-01-31", "start"),
    ],
)
def test_dates_outside_the_documented_range_are_a_422(
    world: World, path: str, start: str, end: str, name: str
) -> None:
    response = world.client(world.owner).get(f"{path}?start={start}&end={end}")
    assert response.status_code == 422
    assert field_error(response) == ["query", name]


@pytest.mark.parametrize(
    ("start", "end"), [("2200-12-01", "2200-12-31"), ("1900-01-01", "1900-01-31")]
)
def test_the_edges_of_the_range_are_served(world: World, start: str, end: str) -> None:
    for path in ENDPOINTS:
        response = world.client(world.owner).get(f"{path}?start={start}&end={end}")
        assert response.status_code == 200, (path, response.content[:200])


def test_if_none_match_star_gets_the_body_and_a_real_etag_gets_304(world: World) -> None:
    client = world.client(world.owner)
    first = client.get("/financial/dashboard/summary")
    etag = first["ETag"]

    star = client.get("/financial/dashboard/summary", HTTP_IF_NONE_MATCH="*")
    assert star.status_code == 200
    assert star.json() == first.json()

    assert client.get("/financial/dashboard/summary", HTTP_IF_NONE_MATCH=etag).status_code == 304
    listed = client.get("/financial/dashboard/summary", HTTP_IF_NONE_MATCH=f'"other", {etag}')
    assert listed.status_code == 304
    stale = client.get("/financial/dashboard/summary", HTTP_IF_NONE_MATCH='"stale"')
    assert stale.status_code == 200
