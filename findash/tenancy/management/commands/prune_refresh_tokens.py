"""``manage.py prune_refresh_tokens``: delete refresh tokens past their expiry.

Every refresh leaves a used row behind (it is what detects reuse); once a
token has expired its signature check rejects it anyway, so the row can go.
Run it daily from cron or a scheduler.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from findash.tenancy.services import refresh_tokens_prune


class Command(BaseCommand):
    help = "Delete refresh tokens that have expired (they can no longer be used or reused)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = refresh_tokens_prune()
        self.stdout.write(f"Deleted {deleted} expired refresh token(s).")
