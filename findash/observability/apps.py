from typing import Any

from django.apps import AppConfig


def _count(counter: Any) -> Any:
    def receiver(sender: object, operation: str, **kwargs: Any) -> None:
        counter.labels(operation=operation).inc()

    return receiver


class ObservabilityConfig(AppConfig):
    name = "findash.observability"
    label = "observability"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished

        from findash.common.safe_cache import cache_bypassed, cache_failed
        from findash.dashboard.response_cache import dashboard_answered
        from findash.observability.activity import pending_flush
        from findash.observability.dashboard_watch import dashboard_answered_receiver
        from findash.observability.metrics import AUTH_RATE_LIMITED, CACHE_BYPASSED, CACHE_ERRORS
        from findash.observability.sentry import sentry_init
        from findash.tenancy.ratelimit import attempt_refused

        def _count_refusal(sender: object, endpoint: str = "unknown", **kwargs: object) -> None:
            AUTH_RATE_LIMITED.labels(endpoint=endpoint).inc()

        attempt_refused.connect(_count_refusal, weak=False, dispatch_uid="auth_rate_limited")

        cache_failed.connect(_count(CACHE_ERRORS), weak=False, dispatch_uid="cache_failed")
        cache_bypassed.connect(_count(CACHE_BYPASSED), weak=False, dispatch_uid="cache_bypassed")
        dashboard_answered.connect(dashboard_answered_receiver, dispatch_uid="dashboard_answered")

        request_finished.connect(pending_flush, dispatch_uid="activity-pending-flush")

        sentry_init(
            dsn=settings.SENTRY_DSN,
            environment=settings.ENVIRONMENT_NAME,
            release=settings.RELEASE,
            traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        )
