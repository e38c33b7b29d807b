from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "findash.budgets"
    label = "budgets"
