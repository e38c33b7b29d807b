"""Schemas of /webhooks and /notifications/preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field, StrictBool

from findash.common.schemas import StrictIn


class WebhookIn(StrictIn):
    url: str = Field(max_length=2000)
    events: list[str]
    secret: str | None = None  # generated (whsec_…) when left out; shown once
    description: str = Field("", max_length=200)
    is_active: StrictBool = True


class WebhookPatch(StrictIn):
    url: str | None = Field(None, max_length=2000)
    events: list[str] | None = None
    secret: str | None = None
    description: str | None = Field(None, max_length=200)
    is_active: StrictBool | None = None


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    is_active: bool
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str  # only in the answer to POST /webhooks


class WebhookAttemptOut(Schema):
    number: int
    attempted_at: datetime
    status_code: int | None
    error: str
    duration_ms: int


class WebhookDeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    status: str  # pending (incl. waiting for a retry), done, parked
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    event: dict[str, Any]
    tries: list[WebhookAttemptOut]


class PreferencesIn(StrictIn):
    budget_alerts: StrictBool | None = None
    monthly_summary: StrictBool | None = None


class PreferencesOut(Schema):
    budget_alerts: bool
    budget_alerts_default: bool
    monthly_summary: bool
    email: str
