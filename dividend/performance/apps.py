from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "dividend.performance"
    label = "performance"
    verbose_name = "Mission performance"

    def ready(self):
        from . import subject_access  # noqa: F401 - registers mission performance's part of the subject access report
