from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from findash.ledger.models import Account, Category, MonthlyRollup
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.ledger.conftest import Ledger


@pytest.fixture
def staff(db: None) -> Client:
    User.objects.create_superuser("operator", "op@example.com", "correct horse battery")
    client = Client()
    client.login(username="operator", password="correct horse battery")
    return client


def test_changelists_show_every_tenant(ledger: Ledger, staff: Client) -> None:
    factories.make_transaction(ledger.world.org, ledger.checking, payee="Org shop")
    theirs = factories.make_account(ledger.world.outsider_personal, name="Outsider wallet")
    factories.make_transaction(ledger.world.outsider_personal, theirs, payee="Their shop")
    factories.make_rate(ledger.world.org, "EUR", "USD", "1.1", ledger.checking.created_at.date())
    pages = {
        "account": ["Checking", "Outsider wallet"],
        "category": ["Groceries"],
        "transaction": ["Org shop", "Their shop"],
        "exchangerate": ["EUR"],
        "monthlyrollup": [],
    }
    for model, expected in pages.items():
        response = staff.get(f"/admin/ledger/{model}/")
        assert response.status_code == 200, model
        html = response.content.decode()
        for text in expected:
            assert text in html, (model, text)
        assert ledger.world.org.name in html, model


def test_change_forms_open_in_the_rows_tenant(ledger: Ledger, staff: Client) -> None:
    txn = factories.make_transaction(ledger.world.org, ledger.checking)
    with tenant_scope(ledger.world.org):
        rollup = MonthlyRollup.objects.first()
    assert rollup is not None
    for model, pk in [
        ("account", ledger.checking.pk),
        ("category", ledger.groceries.pk),
        ("transaction", txn.pk),
        ("monthlyrollup", rollup.pk),
    ]:
        assert staff.get(f"/admin/ledger/{model}/{pk}/change/").status_code == 200, model


def test_account_rename_from_admin(ledger: Ledger, staff: Client) -> None:
    response = staff.post(
        f"/admin/ledger/account/{ledger.savings.pk}/change/",
        {"name": "Rainy day fund", "is_archived": "on"},
    )
    assert response.status_code == 302
    with tenant_scope(ledger.world.org):
        account = Account.objects.get(pk=ledger.savings.pk)
    assert (account.name, account.is_archived) == ("Rainy day fund", True)


def test_no_adds_deletes_or_transaction_edits(ledger: Ledger, staff: Client) -> None:
    txn = factories.make_transaction(ledger.world.org, ledger.checking)
    assert staff.get("/admin/ledger/account/add/").status_code == 403
    assert staff.get(f"/admin/ledger/category/{ledger.groceries.pk}/delete/").status_code == 403
    response = staff.post(f"/admin/ledger/transaction/{txn.pk}/change/", {"amount": "99.00"})
    assert response.status_code == 403
    with tenant_scope(ledger.world.org):
        assert Category.objects.filter(pk=ledger.groceries.pk).exists()
