"""A new password ends every login of the user, wherever it was set.

``POST /auth/password``, the admin's "change password" form, ``manage.py
changepassword`` and ``set_password()`` + ``save()`` in code all save the user
with a new hash; after that save commits, every refresh family of the user is
revoked and its access tokens are denylisted.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from findash.tenancy.tokens import user_tokens_revoke


def revoke_sessions_on_password_change(
    sender: type[User], instance: User, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "password" not in update_fields:
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is None or stored == instance.password:
        return
    user = instance
    transaction.on_commit(lambda: user_tokens_revoke(user=user))
