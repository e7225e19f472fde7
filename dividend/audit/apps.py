from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dividend.audit"
    label = "audit"
