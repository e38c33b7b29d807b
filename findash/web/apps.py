from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "findash.web"
    label = "web"
