from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "dividend.roster"
    label = "roster"

    def ready(self):
        from dividend.audit.models import register_restricted_fields

        from . import retention, subject_access  # noqa: F401 - register the roster's retention rules and its part of the subject access report
        from .models import Officer

        # Reads naming these are the auditor's "reads of restricted data".
        register_restricted_fields(*Officer.RESTRICTED_FIELDS, "restricted_qualifications")
