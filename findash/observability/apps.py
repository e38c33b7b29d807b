from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "findash.observability"
    label = "observability"

    def ready(self) -> None:
        from django.conf import settings

        from findash.observability.metrics import AUTH_RATE_LIMITED
        from findash.observability.sentry import sentry_init
        from findash.tenancy.ratelimit import attempt_refused

        def _count_refusal(sender: object, endpoint: str = "unknown", **kwargs: object) -> None:
            AUTH_RATE_LIMITED.labels(endpoint=endpoint).inc()

        attempt_refused.connect(_count_refusal, weak=False, dispatch_uid="auth_rate_limited")

        sentry_init(
            dsn=settings.SENTRY_DSN,
            environment=settings.ENVIRONMENT_NAME,
            release=settings.RELEASE,
            traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        )
