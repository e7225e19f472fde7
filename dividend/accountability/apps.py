from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "dividend.accountability"
    label = "accountability"
    verbose_name = "Accountability"
