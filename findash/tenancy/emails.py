"""The invitation email: who invited whom to what, and the link to answer it.

Sent after the invitation is committed; a mail server failure is logged and the
invitation stays pending (the invitee also finds it on the invitations page).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from findash.tenancy.models import Invitation

logger = logging.getLogger(__name__)

INVITATIONS_PATH = "/app/invitations/"


def invitation_link() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + INVITATIONS_PATH


def invitation_email_send(*, invitation: Invitation) -> bool:
    invitee = invitation.invitee
    if invitee is None or not invitee.email:
        return False
    inviter = invitation.invited_by.username if invitation.invited_by else "someone"
    # The tenant's name is the inviter's text: quoted, and never in the subject line.
    body = "\n".join(
        [
            f"{inviter} invited you to join the findash organization "
            f'"{invitation.tenant.name}" ({invitation.tenant.public_id}) as {invitation.role}.',
            "",
            "You are not a member until you accept. To accept or decline, log in and open:",
            invitation_link(),
            "",
            "If you do not know this person, decline or ignore this email; "
            "nothing is shared with you or about you unless you accept.",
        ]
    )
    try:
        send_mail(
            "[findash] You have been invited to an organization",
            body,
            from_email=None,
            recipient_list=[invitee.email],
        )
    except Exception:
        logger.exception("invitation email not sent", extra={"invitation_id": invitation.pk})
        return False
    return True
