"""seed_demo: a realistic, deterministic, idempotent demo person and organization."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, TestCase

from findash.budgets.models import Budget
from findash.demo.seed import DEMO_PASSWORD, DEMO_USERNAME, MONTHS, DemoSummary, demo_seed
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.tenancy.models import Membership, Role, Tenant
from findash.tenancy.scoping import tenant_scope
from tests.ledger.conftest import rollups_match_transactions

TODAY = date(2026, 11, 23)


def _tenant(public_id: str) -> Tenant:
    parsed = Tenant.parse_public_id(public_id)
    assert parsed is not None
    return Tenant.objects.get(pk=parsed[1])


def _fingerprint(tenant: Tenant) -> list[tuple[object, ...]]:
    with tenant_scope(tenant):
        return sorted(
            Transaction.objects.values_list(
                "account__name", "date", "amount", "category__name", "payee", "description"
            )
        )


def _login(username: str, password: str) -> str:
    response = Client().post(
        "/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


class TestSeededDemo(TestCase):
    """One seeding shared by these tests; each test runs in its own savepoint."""

    seeded: DemoSummary

    @classmethod
    def setUpTestData(cls) -> None:
        cls.seeded = demo_seed(today=TODAY)

    def test_demo_login_shows_the_demo_accounts_over_http(self) -> None:
        token = _login(DEMO_USERNAME, DEMO_PASSWORD)
        page = Client().get("/accounts", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        names = {account["name"] for account in page["items"]}
        assert {"Everyday Checking", "Rewards Visa", "Euro Account"} <= names
        org_page = (
            Client()
            .get(
                "/accounts",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_X_TENANT_ID=self.seeded.org_tenant_id,
            )
            .json()
        )
        assert "UK Office" in {account["name"] for account in org_page["items"]}

    def test_org_has_the_demo_user_as_owner_and_a_viewer(self) -> None:
        org = _tenant(self.seeded.org_tenant_id)
        roles = dict(Membership.objects.filter(tenant=org).values_list("user__username", "role"))
        assert roles == {DEMO_USERNAME: Role.OWNER, self.seeded.viewer_username: Role.VIEWER}
        assert org.tenant_type == Tenant.Type.ORGANIZATION and org.base_currency == "USD"

    def test_each_tenant_has_every_account_type_and_foreign_currencies(self) -> None:
        expected_foreign = {
            self.seeded.person_tenant_id: {"EUR"},
            self.seeded.org_tenant_id: {"EUR", "GBP"},
        }
        for public_id, foreign in expected_foreign.items():
            with tenant_scope(_tenant(public_id)):
                types = set(Account.objects.values_list("type", flat=True))
                currencies = set(Account.objects.values_list("currency", flat=True))
                rates = ExchangeRate.objects.all()
                assert types >= {"checking", "savings", "credit_card", "loan", "cash", "investment"}
                assert currencies == {"USD", *foreign}
                # one rate per foreign currency and month, so every flow can be converted
                assert {(r.base, r.quote) for r in rates} == {(c, "USD") for c in foreign}
                assert rates.count() == MONTHS * len(foreign)
                assert all(r.date.day == 1 for r in rates)

    def test_eighteen_months_of_transactions_ending_today(self) -> None:
        assert self.seeded.transactions >= 2000
        for public_id in (self.seeded.person_tenant_id, self.seeded.org_tenant_id):
            with tenant_scope(_tenant(public_id)):
                dates = Transaction.objects.values_list("date", flat=True)
                months = {(d.year, d.month) for d in dates}
                assert len(months) == MONTHS
                assert min(dates) >= date(2025, 6, 1)
                assert max(dates) <= TODAY

    def test_transfers_are_balanced_pairs_without_category(self) -> None:
        with tenant_scope(_tenant(self.seeded.person_tenant_id)):
            pairs: dict[object, list[Transaction]] = defaultdict(list)
            for txn in Transaction.objects.filter(transfer_id__isnull=False):
                pairs[txn.transfer_id].append(txn)
            assert len(pairs) >= MONTHS * 4
            for legs in pairs.values():
                assert len(legs) == 2
                assert legs[0].amount + legs[1].amount == Decimal("0")
                assert legs[0].date == legs[1].date
                assert legs[0].account_id != legs[1].account_id
                assert legs[0].category_id is None and legs[1].category_id is None

    def test_categories_refunds_uncategorized_and_currency_match(self) -> None:
        with tenant_scope(_tenant(self.seeded.person_tenant_id)):
            groceries = Category.objects.get(name="Groceries")
            assert groceries.parent is not None and groceries.parent.name == "Food"
            assert Category.objects.filter(kind="income", name="Salary").exists()
            refunds = Transaction.objects.filter(
                amount__gt=0, category__kind="expense", description__startswith="Refund"
            )
            assert refunds.exists()
            uncategorized = Transaction.objects.filter(
                category__isnull=True, transfer_id__isnull=True
            )
            assert uncategorized.filter(amount__gt=0).exists()
            assert uncategorized.filter(amount__lt=0).exists()
            for txn in Transaction.objects.select_related("account"):
                assert txn.currency == txn.account.currency
                assert txn.amount == txn.amount.quantize(Decimal("0.01"))
                assert txn.amount != 0

    def test_card_is_paid_off_from_checking_every_month(self) -> None:
        with tenant_scope(_tenant(self.seeded.person_tenant_id)):
            card = Account.objects.get(type="credit_card")
            payments = Transaction.objects.filter(
                account=card, transfer_id__isnull=False, amount__gt=0
            )
            assert payments.count() >= MONTHS - 1
            charges = Transaction.objects.filter(account=card, transfer_id__isnull=True)
            balance = card.opening_balance + sum(
                (t.amount for t in Transaction.objects.filter(account=card)), Decimal("0")
            )
            # the card carries about one month of spending, not 18 months of it
            assert Decimal("-5000") < balance <= Decimal("0")
            assert charges.count() > 100

    def test_rollups_match_the_transactions(self) -> None:
        rollups_match_transactions(_tenant(self.seeded.person_tenant_id))
        rollups_match_transactions(_tenant(self.seeded.org_tenant_id))

    def test_budgets_cover_expense_categories_with_each_rollover(self) -> None:
        for public_id in (self.seeded.person_tenant_id, self.seeded.org_tenant_id):
            with tenant_scope(_tenant(public_id)):
                budgets = list(Budget.objects.select_related("category"))
                assert {b.rollover for b in budgets} == {"none", "surplus", "full"}
                assert all(b.category.kind == "expense" for b in budgets)
                assert {b.currency for b in budgets} == {"USD", "EUR"}
                assert {b.start_date for b in budgets} == {date(2025, 6, 1)}

    def test_seeding_again_changes_nothing(self) -> None:
        before = _fingerprint(_tenant(self.seeded.person_tenant_id))
        again = demo_seed(today=TODAY)
        assert again.created is False
        assert again.transactions == self.seeded.transactions
        assert (again.person_tenant_id, again.org_tenant_id) == (
            self.seeded.person_tenant_id,
            self.seeded.org_tenant_id,
        )
        assert _fingerprint(_tenant(self.seeded.person_tenant_id)) == before
        assert Tenant.objects.filter(name="Demo Household LLC").count() == 1

    def test_reset_rebuilds_the_same_data_in_the_same_tenants(self) -> None:
        org = _tenant(self.seeded.org_tenant_id)
        before = _fingerprint(org)
        with tenant_scope(org):
            Transaction.objects.filter(payee="Gusto payroll").update(amount=Decimal("-1.00"))
        rebuilt = demo_seed(today=TODAY, reset=True)
        assert rebuilt.created is True
        assert rebuilt.org_tenant_id == self.seeded.org_tenant_id
        assert _fingerprint(org) == before
        rollups_match_transactions(org)
        _login(DEMO_USERNAME, DEMO_PASSWORD)


def test_command_prints_the_login_and_a_curl_example(db: None) -> None:
    out = StringIO()
    call_command("seed_demo", "--base-url", "http://localhost:9000", stdout=out)
    text = out.getvalue()
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in text
    assert "curl -s -X POST http://localhost:9000/auth/token" in text
    assert "Demo data created" in text
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already present" in out.getvalue()


def test_an_existing_demo_user_without_a_personal_tenant_gets_one(db: None) -> None:
    User.objects.create_user("demo", password="something-else-entirely")
    summary = demo_seed(today=TODAY, reset=True)
    assert summary.person_tenant_id.startswith("user_")
    assert _tenant(summary.person_tenant_id).name == "demo"
    _login(DEMO_USERNAME, DEMO_PASSWORD)  # reset restores the published password
