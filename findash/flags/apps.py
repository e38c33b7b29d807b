from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "findash.flags"
    label = "flags"
