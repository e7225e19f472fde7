from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "dividend.priorities"
    label = "priorities"

    def ready(self):
        from . import subject_access  # noqa: F401 - registers the priorities' part of the subject access report
