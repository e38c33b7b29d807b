"""Stored flag state, its audit trail, and the version every process polls for changes."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Flag(models.Model):
    """The operator-set state of one registered flag (see ``registry.py`` for the defaults)."""

    key = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=500, blank=True, default="")
    enabled = models.BooleanField(default=True)
    rollout = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # The hash namespace; keep it when renaming a flag so nobody is reshuffled.
    group_id = models.CharField(max_length=100, blank=True, default="")
    allow = models.JSONField(default=list, blank=True, help_text="tenant ids always in")
    deny = models.JSONField(default=list, blank=True, help_text="tenant ids always out")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rollout__gte=0, rollout__lte=100), name="flag_rollout_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class FlagAudit(models.Model):
    """One change: who made it, when, and the flag's state before and after."""

    key = models.CharField(max_length=100, db_index=True)
    actor = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key} by {self.actor} at {self.at:%Y-%m-%d %H:%M:%S}"


class FlagsVersion(models.Model):
    """A single row whose token changes with every flag write; processes poll it."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.token
