from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`: sits above the ledger and budgets it fills."""

    name = "findash.demo"
    label = "demo"
