from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "findash.notifications"
    label = "notifications"
