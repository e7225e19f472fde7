from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "dividend.commitments"
    label = "commitments"
    verbose_name = "Commitments and budget"

    def ready(self):
        from . import subject_access  # noqa: F401 - registers the commitments' part of the subject access report
