from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "findash.observability"
    label = "observability"
