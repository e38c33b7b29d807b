"""manage.py import_transactions: the same service as the API, for files on the server."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.imports import samples
from tests.imports.conftest import Ledger, stored


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_transactions", *args, stdout=out)
    return out.getvalue()


def test_imports_a_file_and_skips_it_the_second_time(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "jan.ofx"
    path.write_bytes(samples.ofx_statement())
    common = (
        str(path),
        "--tenant",
        ledger.world.org.public_id,
        "--account",
        str(ledger.checking.pk),
    )
    assert "created 4, skipped 0 duplicates" in _run(*common)
    assert "created 0, skipped 4 duplicates" in _run(*common)
    assert len(stored(ledger.world.org)) == 4


def test_csv_mapping_from_a_file_and_dry_run(ledger: Ledger, tmp_path: Path) -> None:
    data, mapping = tmp_path / "card.csv", tmp_path / "mapping.json"
    data.write_bytes(samples.CARD_CSV.encode())
    mapping.write_text(json.dumps(samples.CARD_MAPPING))
    output = _run(
        str(data),
        "--tenant",
        ledger.world.org.public_id,
        "--account",
        str(ledger.savings.pk),
        "--mapping",
        f"@{mapping}",
        "--dry-run",
    )
    assert "2 rows; would create 2" in output
    assert stored(ledger.world.org) == []


def test_errors_name_the_place_and_write_nothing(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"date,amount\n2026-01-02,x\n")
    with pytest.raises(CommandError, match="line 2, column 'amount'"):
        _run(
            str(path), "--tenant", ledger.world.org.public_id, "--account", str(ledger.checking.pk)
        )
    with pytest.raises(CommandError, match="no tenant"):
        _run(str(path), "--tenant", "org_999999", "--account", "1")
    with pytest.raises(CommandError, match="give --format"):
        _run(str(tmp_path / "x.bin"), "--tenant", ledger.world.org.public_id, "--account", "1")
    assert stored(ledger.world.org) == []
