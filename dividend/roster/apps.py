from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "dividend.roster"
    label = "roster"

    def ready(self):
        from . import retention, subject_access  # noqa: F401 - register the roster's retention rules and its part of the subject access report
