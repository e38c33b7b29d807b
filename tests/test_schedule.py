"""tests/schedule.py names real tests, and puts them first, longest first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.schedule import (
    ALSO_NOT_MEASURED_ON_POSTGRES,
    HEAVY,
    NOT_MEASURED,
    SQLITE_PASS_ONLY,
    heavy_first,
    not_measured,
    sqlite_pass_only,
)

ROOT = Path(__file__).resolve().parent.parent
REACHES_A_DATABASE = (
    r"environ(\.get\(|\[)\"DATABASE_URL",  # the pass's database, for a process or a name
    r"\bon_postgres\b",
    r"\bpsycopg\b",
    r"from django\.db import .*\bconnection",
)


@pytest.mark.parametrize("nodeid", sorted({*HEAVY, *NOT_MEASURED, *ALSO_NOT_MEASURED_ON_POSTGRES}))
def test_every_entry_names_a_test_function(nodeid: str) -> None:
    path, name = nodeid.split("::")
    source = (ROOT / path).read_text(encoding="utf-8")
    assert re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE), nodeid


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid


def test_heavy_tests_go_first_longest_first_and_the_rest_keep_their_order() -> None:
    deploy, matrix = sorted(HEAVY, key=lambda nodeid: -HEAVY[nodeid])[:2]
    items = [
        _Item("tests/a.py::test_one"),
        _Item(f"{matrix}@group"),
        _Item("tests/a.py::test_two[x]"),
        _Item(f"{deploy}[param]"),
        _Item("tests/b.py::test_three"),
    ]
    heavy_first(items)  # type: ignore[arg-type]
    assert [item.nodeid for item in items] == [
        f"{deploy}[param]",
        f"{matrix}@group",
        "tests/a.py::test_one",
        "tests/a.py::test_two[x]",
        "tests/b.py::test_three",
    ]


def test_no_module_that_reaches_a_database_its_own_way_runs_in_one_pass_only() -> None:
    """A listed module must not read DATABASE_URL or open its own connection: such a test
    checks the PostgreSQL pass's database and has to run there too."""
    for entry in SQLITE_PASS_ONLY:
        paths = sorted((ROOT / entry).rglob("*.py")) if entry.endswith("/") else [ROOT / entry]
        assert paths, entry
        for path in paths:
            source = path.read_text(encoding="utf-8")
            if path.name == "test_schedule.py":
                continue
            for word in REACHES_A_DATABASE:
                assert not re.search(word, source), f"{path.relative_to(ROOT)}: {word}"


class _Marked(_Item):
    def __init__(self, nodeid: str, fixtures: tuple[str, ...] = (), marker: str = "") -> None:
        super().__init__(nodeid)
        self.fixturenames = fixtures
        self.marker = marker
        self.added: list[pytest.MarkDecorator] = []

    def get_closest_marker(self, name: str) -> object:
        return object() if name == self.marker else None

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.added.append(marker)


@pytest.mark.parametrize(
    ("url", "skipped"),
    [("postgres://postgres@127.0.0.1:5432/x", ["pure"]), ("sqlite:///x.sqlite3", [])],
)
def test_only_the_database_free_tests_of_listed_modules_skip_and_only_on_postgresql(
    monkeypatch: pytest.MonkeyPatch, url: str, skipped: list[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    listed = "tests/flags/test_bucketing.py"
    assert listed in SQLITE_PASS_ONLY
    items = {
        "pure": _Marked(f"{listed}::test_pure"),
        "db": _Marked(f"{listed}::test_db", fixtures=("db",)),
        "live": _Marked(f"{listed}::test_live", fixtures=("live_server",)),
        "marked": _Marked(f"{listed}::test_marked", marker="django_db"),
        "unlisted": _Marked("tests/ledger/test_x.py::test_pure"),
    }
    sqlite_pass_only(list(items.values()))  # type: ignore[arg-type]
    assert [name for name, item in items.items() if item.added] == skipped
    for name in skipped:
        (mark,) = items[name].added
        assert mark.kwargs["reason"] == "database-independent: runs in the SQLite pass"


@pytest.mark.parametrize("postgres", [False, True])
def test_the_listed_tests_and_no_others_are_not_measured(
    monkeypatch: pytest.MonkeyPatch, postgres: bool
) -> None:
    url = "postgres://postgres@127.0.0.1:5432/x" if postgres else "sqlite:///x.sqlite3"
    monkeypatch.setenv("DATABASE_URL", url)
    both = _Marked(f"{NOT_MEASURED[0]}[param]@group")
    on_postgres = _Marked(ALSO_NOT_MEASURED_ON_POSTGRES[0])
    other = _Marked("tests/ledger/test_x.py::test_pure")
    not_measured([both, on_postgres, other])  # type: ignore[list-item]
    assert [mark.name for mark in both.added] == ["no_cover"] and other.added == []
    assert [mark.name for mark in on_postgres.added] == (["no_cover"] if postgres else [])
