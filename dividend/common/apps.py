from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dividend.common"
    label = "common"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks
        from .collation import on_connection_created

        checks.register()
        connection_created.connect(on_connection_created, dispatch_uid="dividend-collations")
