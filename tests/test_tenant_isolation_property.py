"""Property: no read or write ever crosses between two tenants.

Hypothesis drives random sequences of HTTP operations by two tenants — a
person (alice, her personal tenant) and an organization (bob's, named by
X-Tenant-ID) — over accounts, categories, transactions, transfers, budgets and
exchange rates, including attempts to read, change, delete and reference the
other tenant's ids. A model of what each tenant should hold is kept alongside;
at the end of every example each tenant's lists and gets must match its own
model exactly, every id of the other tenant must answer 404, and no stored row
may point at another tenant's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from findash.budgets.models import Budget
from findash.ledger.models import Category, MonthlyRollup, Transaction
from findash.tenancy.models import Tenant
from tests import factories
from tests.conftest import ApiClient

PATHS = {
    "accounts": "/accounts",
    "categories": "/categories",
    "transactions": "/transactions",
    "budgets": "/budgets",
    "rates": "/exchange-rates",
}
# A harmless change per resource: what an attacker would try on the other tenant's row.
PATCHES: dict[str, dict[str, str]] = {
    "accounts": {"name": "renamed"},
    "categories": {"name": "renamed"},
    "transactions": {"description": "renamed"},
    "budgets": {"amount": "1.00"},
    "rates": {"rate": "9.5"},
}
MISSING_ID = 2_000_000_000
DAY0 = date(2026, 3, 1)

actors = st.sampled_from(["a", "b"])
resources = st.sampled_from(sorted(PATHS))
picks = st.integers(min_value=0, max_value=1000)
refs = st.sampled_from(["own", "foreign"])
cents = st.integers(min_value=1, max_value=2_000_000).map(lambda c: Decimal(c).scaleb(-2))
signed_cents = st.integers(min_value=-2_000_000, max_value=2_000_000).filter(bool)


def money(value: Decimal) -> str:
    return format(value, "f")


@dataclass
class Side:
    """One tenant: its client and the rows it should hold (id → the fields we check)."""

    client: ApiClient
    tenant: Tenant
    rows: dict[str, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: {name: {} for name in PATHS}
    )

    def pick(self, resource: str, n: int, **where: Any) -> int | None:
        ids = sorted(i for i, row in self.rows[resource].items() if where.items() <= row.items())
        return ids[n % len(ids)] if ids else None


def field_named(response: Any, name: str) -> bool:
    return any(err["loc"][-1] == name for err in response.json()["detail"])


class TwoTenants(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint of the test's transaction and is rolled back.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear()
        alice, bob = factories.make_user("alice"), factories.make_user("bob")
        org = factories.make_org(bob, "Bob's Bakery")
        self.sides = {
            "a": Side(ApiClient(alice), factories.personal_tenant(alice)),
            "b": Side(ApiClient(bob, org), org),
        }

    def teardown(self) -> None:
        try:
            for actor in self.sides:
                self._verify(actor)
            self._verify_no_cross_tenant_references()
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # --- helpers -------------------------------------------------------------

    def _pair(self, actor: str) -> tuple[Side, Side]:
        return self.sides[actor], self.sides["b" if actor == "a" else "a"]

    def _ref(self, actor: str, resource: str, choice: str, n: int, **where: Any) -> int | None:
        """An own id (None if there is none) or the other tenant's (a missing id if none)."""
        me, other = self._pair(actor)
        if choice == "own":
            return me.pick(resource, n, **where)
        return other.pick(resource, n) or MISSING_ID + n

    def _verify(self, actor: str) -> None:
        me, other = self._pair(actor)
        for resource, path in PATHS.items():
            page = me.client.get(f"{path}?limit=500")
            assert page.status_code == 200, page.content
            body = page.json()
            items = {item["id"]: item for item in body["items"]}
            assert body["count"] == len(items) == len(me.rows[resource])
            assert set(items) == set(me.rows[resource])
            for row_id, expected in me.rows[resource].items():
                self._assert_matches(resource, items[row_id], expected)
                single = me.client.get(f"{path}/{row_id}")
                assert single.status_code == 200
                self._assert_matches(resource, single.json(), expected)
            for row_id in other.rows[resource]:
                assert me.client.get(f"{path}/{row_id}").status_code == 404
        self._verify_dashboard(me)

    @staticmethod
    def _verify_dashboard(me: Side) -> None:
        """The aggregates (rollups, budget statuses) hold the tenant's own rows only."""
        response = me.client.get("/financial/dashboard?start=2026-01-01&end=2026-05-31")
        assert response.status_code == 200, response.content
        board = response.json()
        assert {a["account_id"] for a in board["accounts"]} == set(me.rows["accounts"])
        assert {b["budget_id"] for b in board["budgets"]} == set(me.rows["budgets"])
        categories = {row["category_id"] for row in board["transactions"]["by_category"]}
        assert categories <= {*me.rows["categories"], None}
        flows = [t for t in me.rows["transactions"].values() if t["transfer_id"] is None]
        assert board["transactions"]["count"] == len(flows)

    @staticmethod
    def _assert_matches(resource: str, item: dict[str, Any], expected: dict[str, Any]) -> None:
        for key, value in expected.items():
            if isinstance(value, Decimal):
                assert Decimal(item[key]) == value, (resource, key, item)
            else:
                assert item[key] == value, (resource, key, item)

    def _verify_no_cross_tenant_references(self) -> None:
        for txn in Transaction.objects.unscoped().select_related("account", "category"):
            assert txn.account.tenant_id == txn.tenant_id
            assert txn.category is None or txn.category.tenant_id == txn.tenant_id
        for budget in Budget.objects.unscoped().select_related("category"):
            assert budget.category.tenant_id == budget.tenant_id
        for category in Category.objects.unscoped().select_related("parent"):
            assert category.parent is None or category.parent.tenant_id == category.tenant_id
        for rollup in MonthlyRollup.objects.unscoped().select_related("account"):
            assert rollup.account.tenant_id == rollup.tenant_id

    # --- creating, with own and foreign references ---------------------------

    @initialize()
    def baseline(self) -> None:
        """Both tenants start with accounts and categories, so references have targets."""
        for actor in self.sides:
            self.create_account(actor, "USD", "checking")
            self.create_account(actor, "EUR", "credit_card")
            self.create_category(actor, "income", "none", 0)
            self.create_category(actor, "expense", "none", 0)

    @rule(
        actor=actors,
        currency=st.sampled_from(["USD", "EUR"]),
        kind=st.sampled_from(["checking", "credit_card", "cash"]),
    )
    def create_account(self, actor: str, currency: str, kind: str) -> None:
        me, _ = self._pair(actor)
        body = {"name": f"{kind} {currency}", "type": kind, "currency": currency}
        response = me.client.post("/accounts", body)
        assert response.status_code == 201, response.content
        me.rows["accounts"][response.json()["id"]] = {"currency": currency, "name": body["name"]}

    @rule(
        actor=actors,
        kind=st.sampled_from(["income", "expense"]),
        parent=st.sampled_from(["none", "own", "foreign"]),
        n=picks,
    )
    def create_category(self, actor: str, kind: str, parent: str, n: int) -> None:
        me, _ = self._pair(actor)
        parent_id = None
        if parent == "own":
            parent_id = me.pick("categories", n, kind=kind)
        elif parent == "foreign":
            parent_id = self._ref(actor, "categories", "foreign", n)
        body = {"name": f"{kind} {n}", "kind": kind, "parent_id": parent_id}
        response = me.client.post("/categories", body)
        if parent == "foreign":
            assert response.status_code == 422 and field_named(response, "parent_id")
            return
        assert response.status_code == 201, response.content
        me.rows["categories"][response.json()["id"]] = {
            "kind": kind,
            "parent_id": parent_id,
            "name": body["name"],
        }

    @rule(
        actor=actors,
        account=refs,
        category=st.sampled_from(["none", "own", "foreign"]),
        amount=signed_cents,
        n=picks,
        m=picks,
    )
    def create_transaction(
        self, actor: str, account: str, category: str, amount: int, n: int, m: int
    ) -> None:
        me, _ = self._pair(actor)
        account_id = self._ref(actor, "accounts", account, n)
        category_id = None if category == "none" else self._ref(actor, "categories", category, m)
        if account_id is None or (category == "own" and category_id is None):
            return
        value = Decimal(amount).scaleb(-2)
        body = {
            "account_id": account_id,
            "date": (DAY0 + timedelta(days=n % 60)).isoformat(),
            "amount": money(value),
            "category_id": category_id,
            "description": "bought",
        }
        response = me.client.post("/transactions", body)
        if account == "foreign":
            assert response.status_code == 422 and field_named(response, "account_id")
        elif category == "foreign":
            assert response.status_code == 422 and field_named(response, "category_id")
        else:
            assert response.status_code == 201, response.content
            me.rows["transactions"][response.json()["id"]] = {
                "account_id": account_id,
                "category_id": category_id,
                "amount": value,
                "transfer_id": None,
                "description": "bought",
            }

    @rule(actor=actors, src=refs, dst=refs, amount=cents, n=picks, m=picks)
    def create_transfer(
        self, actor: str, src: str, dst: str, amount: Decimal, n: int, m: int
    ) -> None:
        me, _ = self._pair(actor)
        from_id = self._ref(actor, "accounts", src, n)
        to_id = self._ref(actor, "accounts", dst, m)
        if from_id is None or to_id is None or from_id == to_id:
            return
        body = {
            "from_account_id": from_id,
            "to_account_id": to_id,
            "date": DAY0.isoformat(),
            "amount": money(amount),
            "to_amount": money(amount),
        }
        response = me.client.post("/transfers", body)
        if src == "foreign":
            assert response.status_code == 422 and field_named(response, "from_account_id")
        elif dst == "foreign":
            assert response.status_code == 422 and field_named(response, "to_account_id")
        else:
            assert response.status_code == 201, response.content
            for leg in response.json()["transactions"]:
                me.rows["transactions"][leg["id"]] = {
                    "account_id": leg["account_id"],
                    "category_id": None,
                    "amount": amount if leg["account_id"] == to_id else -amount,
                    "transfer_id": leg["transfer_id"],
                    "description": "",
                }

    @rule(actor=actors, category=refs, amount=cents, n=picks)
    def create_budget(self, actor: str, category: str, amount: Decimal, n: int) -> None:
        me, _ = self._pair(actor)
        category_id = self._ref(actor, "categories", category, n)
        if category_id is None:
            return
        body = {"category_id": category_id, "amount": money(amount), "start_date": "2026-01-01"}
        response = me.client.post("/budgets", body)
        own = me.rows["categories"].get(category_id)
        if own is None or own["kind"] != "expense":
            assert response.status_code == 422 and field_named(response, "category_id")
            return
        assert response.status_code == 201, response.content
        me.rows["budgets"][response.json()["id"]] = {"category_id": category_id, "amount": amount}

    @rule(
        actor=actors,
        day=st.integers(0, 3),
        pair=st.sampled_from([("EUR", "USD"), ("GBP", "USD")]),
        pips=st.integers(1, 10**7),
    )
    def create_rate(self, actor: str, day: int, pair: tuple[str, str], pips: int) -> None:
        """The same date and pair in the other tenant never conflicts with one's own."""
        me, _ = self._pair(actor)
        when = (DAY0 + timedelta(days=day)).isoformat()
        rate = Decimal(pips).scaleb(-4)
        body = {"date": when, "base": pair[0], "quote": pair[1], "rate": money(rate)}
        response = me.client.post("/exchange-rates", body)
        if me.pick("rates", 0, date=when, base=pair[0], quote=pair[1]) is not None:
            assert response.status_code == 409, response.content
            return
        assert response.status_code == 201, response.content
        me.rows["rates"][response.json()["id"]] = {
            "date": when,
            "base": pair[0],
            "quote": pair[1],
            "rate": rate,
        }

    @rule(actor=actors, n=picks)
    def bulk_with_one_foreign_row(self, actor: str, n: int) -> None:
        me, _ = self._pair(actor)
        own = me.pick("accounts", n)
        if own is None:
            return
        foreign = self._ref(actor, "accounts", "foreign", n)
        rows = [
            {"account_id": account_id, "date": DAY0.isoformat(), "amount": "-5.00"}
            for account_id in (own, foreign)
        ]
        response = me.client.post("/transactions/bulk", {"transactions": rows})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-2:] == [1, "account_id"]

    # --- reading, changing and deleting the other tenant's rows --------------

    @rule(actor=actors, resource=resources, n=picks)
    def touch_foreign(self, actor: str, resource: str, n: int) -> None:
        me, other = self._pair(actor)
        foreign = self._ref(actor, resource, "foreign", n)
        path = f"{PATHS[resource]}/{foreign}"
        assert me.client.get(path).status_code == 404
        assert me.client.patch(path, PATCHES[resource]).status_code == 404
        assert me.client.delete(path).status_code == 404
        # naming the other tenant in X-Tenant-ID is refused outright
        named = me.client.get(PATHS[resource], HTTP_X_TENANT_ID=other.tenant.public_id)
        assert named.status_code == 403

    @rule(actor=actors, n=picks)
    def filter_by_foreign_ids(self, actor: str, n: int) -> None:
        me, _ = self._pair(actor)
        account = self._ref(actor, "accounts", "foreign", n)
        category = self._ref(actor, "categories", "foreign", n)
        for query in (
            f"/transactions?account_id={account}",
            f"/transactions?category_id={category}",
            f"/budgets?category_id={category}",
        ):
            assert me.client.get(query).json() == {"items": [], "count": 0}

    @rule(
        actor=actors,
        via=st.sampled_from(
            ["transaction.account", "transaction.category", "budget.category", "category.parent"]
        ),
        n=picks,
        m=picks,
    )
    def repoint_own_row_at_foreign(self, actor: str, via: str, n: int, m: int) -> None:
        me, _ = self._pair(actor)
        resource, ref = {
            "transaction.account": ("transactions", ("accounts", "account_id")),
            "transaction.category": ("transactions", ("categories", "category_id")),
            "budget.category": ("budgets", ("categories", "category_id")),
            "category.parent": ("categories", ("categories", "parent_id")),
        }[via]
        own = me.pick(resource, n)
        if own is None:
            return
        foreign = self._ref(actor, ref[0], "foreign", m)
        response = me.client.patch(f"{PATHS[resource]}/{own}", {ref[1]: foreign})
        assert response.status_code == 422 and field_named(response, ref[1])

    # --- the owner's own changes ---------------------------------------------

    @rule(actor=actors, resource=resources, n=picks)
    def patch_own(self, actor: str, resource: str, n: int) -> None:
        me, _ = self._pair(actor)
        own = me.pick(resource, n)
        if own is None:
            return
        change = PATCHES[resource]
        response = me.client.patch(f"{PATHS[resource]}/{own}", change)
        assert response.status_code == 200, response.content
        key, value = next(iter(change.items()))
        me.rows[resource][own][key] = Decimal(value) if key in ("amount", "rate") else value

    @rule(actor=actors, resource=resources, n=picks)
    def delete_own(self, actor: str, resource: str, n: int) -> None:
        me, _ = self._pair(actor)
        own = me.pick(resource, n)
        if own is None:
            return
        response = me.client.delete(f"{PATHS[resource]}/{own}")
        if self._in_use(me, resource, own):
            assert response.status_code == 409, response.content
            return
        assert response.status_code == 204, response.content
        removed = me.rows[resource].pop(own)
        if resource == "transactions" and removed["transfer_id"] is not None:
            # deleting either leg of a transfer deletes both
            for partner in [
                i
                for i, row in me.rows["transactions"].items()
                if row["transfer_id"] == removed["transfer_id"]
            ]:
                me.rows["transactions"].pop(partner)

    @staticmethod
    def _in_use(me: Side, resource: str, row_id: int) -> bool:
        if resource == "accounts":
            return any(t["account_id"] == row_id for t in me.rows["transactions"].values())
        if resource == "categories":
            return (
                any(t["category_id"] == row_id for t in me.rows["transactions"].values())
                or any(b["category_id"] == row_id for b in me.rows["budgets"].values())
                or any(c["parent_id"] == row_id for c in me.rows["categories"].values())
            )
        return False


@pytest.mark.django_db
def test_no_read_or_write_crosses_between_two_tenants() -> None:
    run_state_machine_as_test(
        TwoTenants,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
