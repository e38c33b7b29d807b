"""``budget_written(budget=…)``: sent inside the atomic block of a budget create or update,
so subscribers (budget alerts) can write their rows in the same transaction."""

from __future__ import annotations

from django.dispatch import Signal

budget_written = Signal()
