"""The near-duplicate panel of a report's page (analysts who triage it) and the decision it posts.
Suggestions come from `reports.duplicates` among the reports the viewer may read; nothing is merged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record_list

from . import access, duplicates
from .duplicate_forms import DuplicateDecisionForm
from .duplicate_services import decide_duplicate
from .models import FieldReport


def panel(user, report) -> dict:
    """The panel's context for `report`'s page: empty for a reader who does not triage it. The
    suggested reports shown are logged as a list (which reports, found as near-duplicates of which)."""
    if not access.can_triage_report(user, report):
        return {"duplicates_panel": False}
    found = duplicates.suggestions(user, report)
    if found:
        record_list(actor=user, object_type="reports.fieldreport", ids=[s.report.pk for s in found],
                    filters={"duplicates_of": report.pk}, fields=["title", "mission", "officer", "similarity"],
                    detail={"officer_ids": sorted({s.report.officer_id for s in found})})
    return {"duplicates_panel": True, "duplicates": found, "duplicate_decisions": duplicates.decisions(user, report),
            "duplicate_verdicts": DuplicateDecisionForm.base_fields["verdict"].choices}


@login_required
@require_POST
def report_duplicate(request, pk):
    user = request.user
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=pk)
    if not access.can_triage_report(user, report):
        raise PermissionDenied(_("You may not triage this report."))
    form = DuplicateDecisionForm(request.POST, user=user, report=report)
    if not form.is_valid():
        messages.error(request, _("Not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            decide_duplicate(actor=user, report=report, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _("Not recorded: ") + "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Decision recorded. Nothing was merged: both reports stay as they are."))
    return redirect("reports:detail", pk=report.pk)
