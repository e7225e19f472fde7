from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "dividend.targets"
    label = "targets"
    verbose_name = "Targets"
