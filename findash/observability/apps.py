from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "findash.observability"
    label = "observability"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished

        from findash.observability.activity import pending_flush
        from findash.observability.sentry import sentry_init

        request_finished.connect(pending_flush, dispatch_uid="activity-pending-flush")

        sentry_init(
            dsn=settings.SENTRY_DSN,
            environment=settings.ENVIRONMENT_NAME,
            release=settings.RELEASE,
            traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        )
