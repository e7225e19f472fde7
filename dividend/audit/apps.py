from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dividend.audit"
    label = "audit"

    def ready(self):
        from . import retention  # noqa: F401 - registers the audit log's own retention rule
