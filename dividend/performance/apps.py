from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "dividend.performance"
    label = "performance"
    verbose_name = "Mission performance"
