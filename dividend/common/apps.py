from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dividend.common"
    label = "common"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from . import checks
        from .collation import on_connection_created
        from .fields import forget_choices

        checks.register()
        connection_created.connect(on_connection_created, dispatch_uid="dividend-collations")
        post_save.connect(forget_choices, dispatch_uid="dividend-forget-choices-save")
        post_delete.connect(forget_choices, dispatch_uid="dividend-forget-choices-delete")
