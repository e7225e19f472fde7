from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dividend.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from . import subject_access  # noqa: F401 - registers the reports' part of the subject access report
