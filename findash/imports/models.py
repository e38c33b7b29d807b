from __future__ import annotations

from django.conf import settings
from django.db import models

from findash.ledger.models import Account
from findash.tenancy.scoping import TenantOwnedModel


class ImportBatch(TenantOwnedModel):
    """One committed import: which file went into which account, and what it did."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=16)
    filename = models.CharField(max_length=255, blank=True, default="")
    sha256 = models.CharField(max_length=64)
    created_count = models.IntegerField()
    duplicate_count = models.IntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "id"], name="importbatch_tenant_id")]

    def __str__(self) -> str:
        return f"{self.format} {self.filename} → {self.account_id}"
