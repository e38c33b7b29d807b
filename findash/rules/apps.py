from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "findash.rules"
    label = "rules"
