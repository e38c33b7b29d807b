from __future__ import annotations

from django.conf import settings
from django.db import models

from findash.budgets.models import Budget
from findash.tenancy.scoping import TenantOwnedModel


class BudgetAlert(TenantOwnedModel):
    """The idempotency key of a budget alert: each budget, month and level is announced once.

    The row is written in the same transaction as the notifications it causes; a second
    writer of the same key fails on the unique constraint and announces nothing.
    """

    class Status(models.TextChoices):
        WARNING = "warning"
        OVER = "over"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    status = models.CharField(max_length=8, choices=Status.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "budget", "month", "status"], name="budgetalert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.month:%Y-%m} {self.status}"


class Webhook(TenantOwnedModel):
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=200)
    events = models.JSONField(default=list)  # event type names, or ["*"] for all
    description = models.CharField(max_length=200, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "is_active"], name="webhook_tenant_active")]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.is_active and ("*" in self.events or event_type in self.events)


class OutboxMessage(TenantOwnedModel):
    """Work to do after a write commits: written in the write's transaction, never lost.

    ``ledger_written`` checks budgets after a ledger write; ``email`` and ``webhook``
    are deliveries. ``key`` makes a delivery unique (a retry or a redelivered task
    finds the row already ``done``).
    """

    class Topic(models.TextChoices):
        LEDGER_WRITTEN = "ledger_written"
        EMAIL = "email"
        WEBHOOK = "webhook"

    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        PARKED = "parked"  # gave up after OUTBOX_MAX_ATTEMPTS; last_error says why

    topic = models.CharField(max_length=16, choices=Topic.choices)
    payload = models.JSONField(default=dict)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["topic", "created_at"], name="outbox_topic_created"),
            models.Index(fields=["tenant", "webhook", "created_at"], name="outbox_webhook"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk} {self.status}"


class WebhookAttempt(TenantOwnedModel):
    """One HTTP attempt of a webhook delivery, as the API shows it."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["tenant", "message"], name="webhookattempt_message")]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number} {self.status_code or self.error[:40]}"


class NotificationPreference(TenantOwnedModel):
    """A member's choices; ``budget_alerts`` None means the role's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    budget_alerts = models.BooleanField(null=True, blank=True)
    monthly_summary = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="notificationpref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.tenant_id}"
