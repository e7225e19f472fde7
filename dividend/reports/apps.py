from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dividend.reports"
    label = "reports"
    verbose_name = "Reports"
