from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dividend.audit"
    label = "audit"

    def ready(self):
        from . import checks  # noqa: F401 - registers the audit key's system check
