"""Import history reads, scoped to the acting tenant."""

from __future__ import annotations

from django.db.models import QuerySet

from findash.imports.models import ImportBatch
from findash.tenancy.scoping import get_owned_or_404


def import_batch_list() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.order_by("-id")


def import_batch_get(*, batch_id: int) -> ImportBatch:
    return get_owned_or_404(ImportBatch, batch_id, label="import")
