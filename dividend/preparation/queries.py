"""Looking up what a page or an endpoint acts on, with the app's access rule: shared by the views and
the API (which does not import views)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dividend.secondments.models import Secondment

from . import access
from .models import ChecklistItem


def secondment_for(user, pk) -> Secondment:
    """The secondment, if the user may see its checklist: 404 when they may not see the secondment at
    all, 403 when they see it but neither prepare it nor are its officer."""
    secondment = get_object_or_404(Secondment.objects.visible_to(user).with_related().select_related(
        "officer__rank"), pk=pk)
    if not access.can_view_checklist(user, secondment.officer):
        raise PermissionDenied(_("The checklist is for the officer and those who prepare the secondment."))
    return secondment


def item_for(user, pk) -> ChecklistItem:
    """A checklist item of a checklist the user sees (else 404)."""
    return get_object_or_404(ChecklistItem.objects.visible_to(user).select_related(
        "checklist__secondment__officer__pool", "checklist__secondment__officer__rank",
        "checklist__secondment__position__mission", "done_by", "returnee"), pk=pk)
