"""Who may import, and whose imports one sees."""

from __future__ import annotations

from tests.imports import samples
from tests.imports.conftest import Ledger, stored, upload


def test_viewer_may_not_import(ledger: Ledger) -> None:
    response = upload(
        ledger.viewer, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx"
    )
    assert response.status_code == 403
    assert stored(ledger.world.org) == []


def test_anonymous_may_not_import(ledger: Ledger, anon) -> None:  # type: ignore[no-untyped-def]
    response = upload(anon, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    assert response.status_code == 401


def test_import_history_is_per_tenant(ledger: Ledger) -> None:
    created = upload(
        ledger.member,
        samples.ofx_statement(),
        account_id=ledger.checking.pk,
        fmt="ofx",
        filename="jan.ofx",
    ).json()
    listed = ledger.viewer.get("/imports").json()
    assert listed["count"] == 1
    batch = listed["items"][0]
    assert (batch["id"], batch["filename"], batch["created_count"], batch["format"]) == (
        created["batch_id"],
        "jan.ofx",
        4,
        "ofx",
    )
    assert ledger.viewer.get(f"/imports/{batch['id']}").status_code == 200
    assert ledger.outsider.get("/imports").json()["count"] == 0
    assert ledger.outsider.get(f"/imports/{batch['id']}").status_code == 404


def test_import_invalidates_the_cached_dashboard(ledger: Ledger) -> None:
    query = "/financial/dashboard/summary?start=2026-01-01&end=2026-01-31"
    before = ledger.owner.get(query)
    assert before.json()["income"] == "0.00"
    upload(ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    after = ledger.owner.get(query, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert (after.json()["income"], after.json()["expenses"]) == ("2500.00", "94.33")
