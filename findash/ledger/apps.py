from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "findash.ledger"
    label = "ledger"
