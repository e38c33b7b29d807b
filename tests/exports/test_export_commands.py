"""manage.py export_tenant and import_full: the same streams and restore as the API."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World


def test_export_then_restore_into_another_tenant(world: World, tmp_path: Path) -> None:
    account = factories.make_account(world.org, name="Cash box", type="cash")
    category = factories.make_category(world.org, name="Snacks")
    factories.make_transaction(
        world.org, account, amount=Decimal("-4.20"), category=category, payee="Kiosk"
    )
    dump = tmp_path / "full.json"
    call_command(
        "export_tenant", "--tenant", world.org.public_id, "--format", "json", "--output", str(dump)
    )
    assert json.loads(dump.read_text())["transactions"][0]["amount"] == "-4.20"
    target = factories.make_org(world.owner, "Copy")
    out = StringIO()
    call_command("import_full", str(dump), "--tenant", target.public_id, stdout=out)
    assert "1 transactions" in out.getvalue()
    with tenant_scope(target):
        copied = Transaction.objects.get()
    assert (copied.amount, copied.payee, copied.category.name, copied.account.name) == (
        Decimal("-4.20"),
        "Kiosk",
        "Snacks",
        "Cash box",
    )
    with pytest.raises(CommandError, match="empty tenant"):
        call_command("import_full", str(dump), "--tenant", target.public_id)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "findash.full", "version": 1}')
    with pytest.raises(CommandError, match="tenant"):
        call_command("import_full", str(bad), "--tenant", factories.make_org(world.owner).public_id)


def test_csv_and_ledger_to_stdout(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    account = factories.make_account(world.org, name="Main")
    factories.make_transaction(world.org, account, description="(odd) * title; yes")
    call_command("export_tenant", "--tenant", world.org.public_id, "--format", "csv")
    rows = list(csv.DictReader(StringIO(capsys.readouterr().out)))
    assert [row["description"] for row in rows] == ["(odd) * title; yes"]
    call_command("export_tenant", "--tenant", world.org.public_id, "--format", "ledger")
    journal = capsys.readouterr().out
    assert "2026-01-15 '(odd) * title, yes  ; id:" in journal
    assert "    assets:Main  -10.00 USD\n    expenses:uncategorized  10.00 USD\n" in journal
