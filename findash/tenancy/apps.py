from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "findash.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.db.models.signals import pre_save

        from findash.tenancy.signals import revoke_sessions_on_password_change

        pre_save.connect(
            revoke_sessions_on_password_change,
            sender=User,
            dispatch_uid="revoke_sessions_on_password_change",
        )
