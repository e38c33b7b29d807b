from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "findash.common"
    label = "common"
