"""GET /transactions?min_amount=&max_amount=: the size of the amount, sign ignored."""

from __future__ import annotations

from decimal import Decimal

from tests import factories
from tests.conftest import World


def _seed(world: World) -> None:
    account = factories.make_account(world.org)
    for amount in ("-9.99", "-10.00", "-50.00", "30.00", "50.01", "120.00"):
        factories.make_transaction(world.org, account, amount=Decimal(amount))
    other = factories.make_account(world.outsider_personal)
    factories.make_transaction(world.outsider_personal, other, amount=Decimal("-20.00"))


def _amounts(answer: object) -> list[str]:
    return sorted(row["amount"] for row in answer.json()["items"])  # type: ignore[attr-defined]


def test_min_and_max_bound_the_size_of_both_signs(world: World) -> None:
    _seed(world)
    client = world.client(world.viewer, world.org)
    answer = client.get("/transactions?min_amount=10&max_amount=50")
    assert answer.status_code == 200
    assert _amounts(answer) == ["-10.00", "-50.00", "30.00"]
    assert answer.json()["count"] == 3
    assert _amounts(client.get("/transactions?min_amount=50.01")) == ["120.00", "50.01"]
    assert _amounts(client.get("/transactions?max_amount=9.99")) == ["-9.99"]


def test_an_outsider_finds_nothing_of_the_tenant(world: World) -> None:
    _seed(world)
    own = world.client(world.outsider).get("/transactions?min_amount=0")
    assert _amounts(own) == ["-20.00"]


def test_a_reversed_or_negative_range_is_a_422_naming_the_field(world: World) -> None:
    client = world.client(world.owner, world.org)
    reversed_range = client.get("/transactions?min_amount=50&max_amount=10")
    assert reversed_range.status_code == 422
    assert reversed_range.json()["detail"][0]["loc"][-1] == "max_amount"
    negative = client.get("/transactions?min_amount=-1")
    assert negative.status_code == 422
    assert negative.json()["detail"][0]["loc"][-1] == "min_amount"
