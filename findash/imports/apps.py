from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "findash.imports"
    label = "imports"
