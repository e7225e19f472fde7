from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "dividend.selection"
    label = "selection"
    verbose_name = "Selection"

    def ready(self):
        from dividend.pools.models import register_object_scope

        from . import subject_access  # noqa: F401 - registers the selection's part of the subject access report
        from .access import CALL_OBJECT_TYPE, CALL_SCOPED_ROLES

        # A call's selection panel: a panel member role granted on one call gives sight of that call.
        register_object_scope(CALL_OBJECT_TYPE, roles=CALL_SCOPED_ROLES)
