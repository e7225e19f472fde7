from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dividend.audit"
    label = "audit"

    def ready(self):
        from . import checks, receivers

        checks.register()
        receivers.connect()
