"""The shipping checks do not touch the database: run them once, in the SQLite pass.

ci/test.sh runs the suite on SQLite and then on PostgreSQL; these tests start
subprocesses (hadolint, the compose CLI, nginx -t, fresh Django processes) and would
only repeat the same result at twice the cost.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="database-independent: runs in the SQLite pass")
    for item in items:
        if "tests/shipping/" in item.nodeid:
            item.add_marker(skip)
