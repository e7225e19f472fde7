from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dividend.audit"
    label = "audit"

    def ready(self):
        from . import checks, receivers, retention  # noqa: F401 - retention registers the audit log's own rule

        checks.register()
        receivers.connect()
