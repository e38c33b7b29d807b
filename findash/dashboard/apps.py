from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "findash.dashboard"
    label = "dashboard"
