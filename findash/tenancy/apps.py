from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "findash.tenancy"
    label = "tenancy"
