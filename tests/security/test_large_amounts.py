"""Sums of the largest amounts the API accepts fit every rollup and add up exactly."""

from __future__ import annotations

from decimal import Decimal

from findash.common.limits import AMOUNT_MAX
from tests import factories
from tests.conftest import World


def test_a_transaction_over_the_maximum_amount_is_refused(world: World) -> None:
    account = factories.make_account(world.owner_personal)
    refused = world.client(world.owner).post(
        "/transactions",
        {"account_id": account.pk, "date": "2026-11-02", "amount": "-9000000000000000.00"},
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"][0]["loc"][-1] == "amount"


def test_two_maximum_outflows_in_one_month_are_stored_and_summed_exactly(
    world: World,
) -> None:
    account = factories.make_account(world.owner_personal)
    client = world.client(world.owner)
    for day in ("2026-11-02", "2026-11-03"):
        created = client.post(
            "/transactions",
            {"account_id": account.pk, "date": day, "amount": f"-{AMOUNT_MAX}"},
        )
        assert created.status_code == 201, created.content

    summary = client.get("/financial/dashboard/summary?start=2026-11-01&end=2026-11-30")

    assert summary.status_code == 200, summary.content
    assert summary.json()["expenses"] == str(AMOUNT_MAX * 2)
    assert summary.json()["net_worth"] == str(-AMOUNT_MAX * 2)


def test_a_bulk_of_maximum_amounts_fits_the_rollups(world: World) -> None:
    account = factories.make_account(world.owner_personal)
    rows = [
        {"account_id": account.pk, "date": "2026-11-05", "amount": str(AMOUNT_MAX)}
        for _ in range(10)
    ]
    client = world.client(world.owner)

    created = client.post("/transactions/bulk", {"transactions": rows})

    assert created.status_code == 201, created.content
    summary = client.get("/financial/dashboard/summary?start=2026-11-01&end=2026-11-30").json()
    assert Decimal(summary["income"]) == AMOUNT_MAX * 10, summary
