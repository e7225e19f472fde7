from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _secondment_moved(sender, secondment, move, actor, **kwargs):
    """Preparing started (secondments.services.make_move, inside its transaction): the secondment's
    pre-deployment checklist is made from its organisation's template by the person who moved it."""
    from dividend.secondments.models import Secondment

    if move == Secondment.Move.PREPARE:
        from .services import checklist_on_preparing

        checklist_on_preparing(secondment, actor=actor)


def _may_see_checklist(user, secondment) -> bool:
    from .access import can_view_checklist

    return can_view_checklist(user, secondment.officer)


class PreparationConfig(AppConfig):
    name = "dividend.preparation"
    label = "preparation"
    verbose_name = "Preparation"

    def ready(self):
        from dividend.care.board import register_overdue_source
        from dividend.secondments.hooks import register_secondment_page
        from dividend.secondments.signals import secondment_moved

        from . import subject_access  # noqa: F401 - registers the preparation's part of the subject access report
        from .overdue import overdue_secondments

        secondment_moved.connect(_secondment_moved, dispatch_uid="preparation-checklist")
        # The duty-of-care board's section and the desk officers' daily e-mail: checklist items overdue.
        register_overdue_source("preparation.checklist", _("Checklist items overdue"), overdue_secondments)
        register_secondment_page(_("Pre-deployment checklist and backfill"), "preparation:checklist",
                                 _may_see_checklist)
