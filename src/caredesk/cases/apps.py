from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "caredesk.cases"
    label = "cases"
    verbose_name = "Cases"
