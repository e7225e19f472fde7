from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dividend.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dividend.care.board import register_overdue_source

        from . import (
            subject_access,  # noqa: F401 - registers the reports' part of the subject access report
            triage_subject_access,  # noqa: F401 - and the triage's (assignments, comments, locks)
        )
        from .overdue import monthly_reports_overdue

        register_overdue_source("reports.monthly", _("Monthly report overdue"), monthly_reports_overdue)

        # Near-duplicates: a report filed or saved with its text refreshes its derived rows.
        from django.db.models.signals import post_save, pre_delete

        from . import duplicate_services  # noqa: F401 - registers the decisions' part of the subject access report
        from .duplicates import forget_on_delete, refresh_on_save
        from .models import FieldReport

        post_save.connect(refresh_on_save, sender=FieldReport, dispatch_uid="reports.duplicates.refresh")
        pre_delete.connect(forget_on_delete, sender=FieldReport, dispatch_uid="reports.duplicates.forget")
