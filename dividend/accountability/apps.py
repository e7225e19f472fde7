from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "dividend.accountability"
    label = "accountability"
    verbose_name = "Accountability"

    def ready(self):
        from . import subject_access  # noqa: F401 - registers the scorecard's and portfolio's part of the report
