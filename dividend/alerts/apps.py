from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "dividend.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        from . import retention, subject_access  # noqa: F401 - register the alerts' subject access part and retention rule
