"""Hints a process keeps for a minute: facts about a tenant's data that only *choose* how a
figure is read (the payee bounds, the last day with flows), never what it is, so a stale
one costs rows, not exactness."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.db import connection

T = TypeVar("T")

HINT_SECONDS = 60.0
_HINTS_KEPT = 10_000


class KeptHint(Generic[T]):
    """One kind of hint, per database and ``key``, read again after ``HINT_SECONDS``."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, Hashable], tuple[float, T]] = {}

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        full, now = (connection.alias, key), time.monotonic()
        kept = self._kept.get(full)
        if kept is not None and now - kept[0] < HINT_SECONDS:
            return kept[1]
        found = read()
        if len(self._kept) >= _HINTS_KEPT:
            self._kept.clear()
        self._kept[full] = (now, found)
        return found

    def forget(self) -> None:
        """Forget every kept hint (tests: tenant ids are reused after a rollback)."""
        self._kept.clear()
