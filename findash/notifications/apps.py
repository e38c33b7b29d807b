from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "findash.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Signal receivers and outbox handlers register themselves on import.
        from findash.notifications import (  # noqa: F401
            budget_alerts,
            emails,
            receivers,
            webhooks,
        )
