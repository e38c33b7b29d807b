"""The benchmark matrix at smoke size: every shape builds a consistent tenant, and
every endpoint x period x shape cell of the table is filled."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bench.matrix import ENDPOINTS, SMOKE_SIZES, TODAY, _arguments, matrix_measure, periods_for
from bench.matrix_report import MISSING, report_render
from bench.shapes import SHAPES
from bench.tenants import default_span, tenant_build
from findash.ledger.models import Account, ExchangeRate, Transaction
from findash.ledger.rollup_rebuild import rollups_verify
from findash.tenancy.scoping import tenant_scope

SIZES = [120, 360]


@pytest.mark.django_db
@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_builds_a_consistent_tenant_once(shape: str) -> None:
    span = default_span(TODAY)
    built = tenant_build(shape=shape, size=SIZES[0], span=span)
    assert not built.reused
    with tenant_scope(built.tenant):
        transactions = Transaction.objects.all()
        assert transactions.count() == SIZES[0]
        assert all(
            span.first <= day <= span.last for day in transactions.values_list("date", flat=True)
        )
        for account in Account.objects.all():  # each leg in its account's currency
            assert set(transactions.filter(account=account).values_list("currency", flat=True)) <= {
                account.currency
            }
        if shape == "fx":  # a rate a day for every pair
            days = (span.last - span.first).days + 1
            assert ExchangeRate.objects.count() == 4 * days
    assert rollups_verify(tenant=built.tenant) == []
    again = tenant_build(shape=shape, size=SIZES[0], span=span)
    assert again.reused and again.tenant.pk == built.tenant.pk


@pytest.mark.django_db
def test_smoke_matrix_fills_every_cell(settings: Any) -> None:
    settings.DASHBOARD_CACHE_ENABLED = False
    shapes, periods = list(SHAPES), list(periods_for())
    results = matrix_measure(
        shapes=shapes,
        sizes=SIZES,
        endpoints=list(ENDPOINTS),
        periods=periods,
        runs=1,
        warmup=0,
    )
    assert results["errors"] == {}  # every endpoint answered 200 for every shape and period
    table = report_render(results, shapes=shapes, sizes=SIZES)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    header, body = rows[0], rows[1 : 1 + len(ENDPOINTS) * len(periods)]
    assert header == "| endpoint | period | " + " | ".join(shapes) + " |"
    assert [row.split(" | ")[:2] for row in body] == [
        [f"| {endpoint}", period] for endpoint in ENDPOINTS for period in periods
    ]
    cell = re.compile(r"^[\d.]+!? / [\d.]+!? x[\d.]+!?$")
    for row in body:
        cells = row.strip("| ").split(" | ")[2:]
        assert len(cells) == len(shapes) and MISSING not in cells, row
        assert all(cell.match(text) for text in cells), row
    assert set(results["builds"]) == {f"{s}/{n}" for s in shapes for n in SIZES}


def test_smoke_option_means_tiny_sizes_and_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["bench.matrix", "--smoke", "--shapes", "flat,fx"])
    args = _arguments()
    assert (args.sizes, args.runs, args.warmup) == (SMOKE_SIZES, 1, 0)
    assert args.shapes == ["flat", "fx"] and args.periods == list(periods_for())


def test_unknown_shape_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["bench.matrix", "--shapes", "flat,lumpy"])
    with pytest.raises(SystemExit):
        _arguments()
