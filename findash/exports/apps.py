from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "findash.exports"
    label = "exports"
