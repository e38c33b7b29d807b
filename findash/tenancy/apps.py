from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save

# Saves that do not change who may do what (a login stamp) keep the remembered actors.
_IRRELEVANT_FIELDS = frozenset({"last_login", "last_used_at"})


def _auth_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    from findash.tenancy.actor_memo import auth_changed

    if update_fields and set(update_fields) <= _IRRELEVANT_FIELDS:
        return
    auth_changed()


def _auth_deleted(sender: Any, **kwargs: Any) -> None:
    from findash.tenancy.actor_memo import auth_changed

    auth_changed()


class TenancyConfig(AppConfig):
    name = "findash.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from django.contrib.auth.models import User

        from findash.tenancy.models import ApiToken, Membership, Tenant

        for model in (User, Membership, Tenant, ApiToken):
            post_save.connect(_auth_saved, sender=model, dispatch_uid=f"auth-memo-{model.__name__}")
            post_delete.connect(
                _auth_deleted, sender=model, dispatch_uid=f"auth-memo-del-{model.__name__}"
            )

        from findash.tenancy.signals import revoke_sessions_on_password_change

        pre_save.connect(
            revoke_sessions_on_password_change,
            sender=User,
            dispatch_uid="revoke_sessions_on_password_change",
        )
