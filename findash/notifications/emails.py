"""Emails: rendered when queued (the figures at that moment), sent by the outbox handler.

Sending happens outside any database transaction: the row is claimed, the mail is
sent, then the row is marked done. A crash between the last two can send it again
(SMTP offers no better), but a rolled-back write never sends anything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from findash.notifications.models import OutboxMessage
from findash.notifications.outbox import outbox_add, outbox_handler
from findash.tenancy.models import Tenant


def email_queue(
    *,
    tenant: Tenant,
    user: User,
    key: str,
    subject: str,
    template: str,
    context: dict[str, Any],
) -> OutboxMessage | None:
    """Queue one email (plain text and HTML from ``template``.txt/.html) in this transaction."""
    context = {**context, "tenant": tenant, "user": user}
    return outbox_add(
        tenant=tenant,
        topic=OutboxMessage.Topic.EMAIL,
        key=key,
        payload={
            "to": user.email,
            "subject": subject,
            "text": render_to_string(f"notifications/{template}.txt", context),
            "html": render_to_string(f"notifications/{template}.html", context),
        },
    )


@outbox_handler(OutboxMessage.Topic.EMAIL, in_transaction=False)
def email_send(message: OutboxMessage) -> None:
    payload = message.payload
    mail = EmailMultiAlternatives(
        subject=payload["subject"], body=payload["text"], to=[payload["to"]]
    )
    mail.attach_alternative(payload["html"], "text/html")
    mail.send(fail_silently=False)
