"""Pages of the monthly mission report (issue 12 §7) and of the intelligence debriefings (§8).

Monthly reports: the list per mission (with the month last due), drafting (mission and month → the
drafted text), editing, submitting, approving or returning, and the PDF. Every page of one report
goes through `_monthly(user, pk)`, which asks `access.can_read_monthly_report` (else 404).

Debriefings: every page reads `IntelligenceDebriefing.objects.visible_to` (the members of the named
group only; anyone else gets a 404, never a hint that one exists).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.common.exports import render_html_pdf
from dividend.missions.models import Mission

from . import access, monthly
from .models import FieldReport, IntelligenceDebriefing, MonthlyReport
from .monthly_forms import DebriefingForm, MonthlyMoveForm, MonthlyReportForm, MonthlyReportNewForm
from .overdue import GRACE_DAYS
from .services import record_debriefing
from .views import _add_errors

MONTHLY_FIELDS = ["reference", *monthly.EDIT_FIELDS, "status", "reports"]
DEBRIEFING_FIELDS = ["officer", "group", "held_on", "content", "reports", "careers_debriefing"]


def _monthly(user, pk) -> MonthlyReport:
    """The monthly report if the user may read it (else 404: its existence is not told)."""
    report = MonthlyReport.objects.filter(pk=pk).select_related("mission", "author", "approver").first()
    if report is None or not access.can_read_monthly_report(user, report):
        raise Http404
    return report


def _gate(user):
    if not access.can_draft_monthly_reports(user):
        raise PermissionDenied(_("Monthly mission reports are for analysts."))


@login_required
def monthly_list(request):
    user = request.user
    _gate(user)
    reports = MonthlyReport.objects.visible_to(user).select_related("mission")
    mission = request.GET.get("mission", "")
    if mission.isdigit():
        reports = reports.filter(mission_id=int(mission))
    reports = list(reports[:200])
    due_month, due = monthly.missions_due(user)
    deadline = monthly.month_bounds(due_month)[1] + dt.timedelta(days=GRACE_DAYS)
    if reports:
        record_list(actor=user, object_type="reports.monthlyreport", ids=[r.pk for r in reports],
                    filters={"mission": mission}, fields=["reference", "marking", "status"])
    return render(request, "reports/monthly_list.html", {
        "reports": reports, "due_month": due_month, "deadline": deadline, "due": due, "mission": mission,
        "missions": Mission.objects.filter(pk__in=MonthlyReport.objects.visible_to(user).values("mission_id"))
        .order_by("acronym")})


@login_required
def monthly_new(request):
    user = request.user
    _gate(user)
    form = MonthlyReportNewForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            report = monthly.create_monthly_report(actor=user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(reference)s drafted from the month's accepted field reports: edit it, "
                                        "then submit it.") % {"reference": report.reference})
            return redirect("reports:monthly_edit", pk=report.pk)
    return render(request, "reports/monthly_new.html", {"form": form}, status=400 if form.errors else 200)


def _with_references(reports) -> list[FieldReport]:
    """The reports, each with its reference (FR-<id>) as `cited_as` for the templates."""
    reports = list(reports)
    for r in reports:
        r.cited_as = monthly.cite(r)
    return reports


def _cited(user, report):
    return _with_references(FieldReport.objects.visible_to(user).filter(monthly_reports=report)
                            .select_related("mission").order_by("id"))


@login_required
def monthly_detail(request, pk):
    user = request.user
    report = _monthly(user, pk)
    cited = _cited(user, report)
    record(actor=user, action="read", obj=report, fields=MONTHLY_FIELDS,
           detail={"reference": report.reference, "marking": report.marking,
                   "officer_ids": sorted({r.officer_id for r in cited})})
    submitted = report.status == MonthlyReport.Status.SUBMITTED
    return render(request, "reports/monthly.html", {
        "report": report, "cited": cited, "editable": access.can_edit_monthly_report(user, report),
        "approve": submitted and access.can_approve_monthly_report(user, report),
        "own_submitted": submitted and report.author_id == user.pk, "move_form": MonthlyMoveForm()})


@login_required
def monthly_edit(request, pk):
    user = request.user
    report = _monthly(user, pk)
    if not access.can_edit_monthly_report(user, report):
        raise PermissionDenied(_("Only the author edits a draft or a returned monthly report."))
    initial = {f: getattr(report, f) for f in monthly.EDIT_FIELDS}
    form = MonthlyReportForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            monthly.edit_monthly_report(actor=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(reference)s saved.") % {"reference": report.reference})
            return redirect("reports:monthly", pk=report.pk)
    return render(request, "reports/monthly_edit.html", {"form": form, "report": report,
                                                         "cited": _cited(user, report)},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def monthly_move(request, pk):
    user = request.user
    report = _monthly(user, pk)
    form = MonthlyMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not changed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect("reports:monthly", pk=report.pk)
    try:
        monthly.move(user, report, form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Not changed: ") + "; ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(request, _("%(reference)s is now %(status)s.") % {
            "reference": report.reference, "status": report.get_status_display().lower()})
    return redirect("reports:monthly", pk=report.pk)


@login_required
def monthly_pdf(request, pk):
    user = request.user
    report = _monthly(user, pk)
    cited = _cited(user, report)
    record(actor=user, action="export", obj=report, fields=MONTHLY_FIELDS,
           detail={"format": "pdf", "reference": report.reference, "marking": report.marking})
    return render_html_pdf("reports/monthly_pdf.html", {"report": report, "cited": cited}, report.reference)


# --- Intelligence debriefings (§8) -----------------------------------------------------------------


def _debriefings_gate(user):
    if not access.can_use_debriefings(user):
        raise PermissionDenied(_("Intelligence debriefings are for the members of their named groups."))


@login_required
def debriefing_list(request):
    user = request.user
    _debriefings_gate(user)
    debriefings = list(IntelligenceDebriefing.objects.visible_to(user).select_related("officer", "group")[:200])
    if debriefings:
        record_list(actor=user, object_type="reports.intelligencedebriefing", ids=[d.pk for d in debriefings],
                    filters={}, fields=["officer", "group", "held_on"],
                    detail={"officer_ids": sorted({d.officer_id for d in debriefings})})
    return render(request, "reports/debriefings.html", {
        "debriefings": debriefings,
        "may_record": access.can_record_debriefings(user)})


@login_required
def debriefing_new(request):
    user = request.user
    if not access.can_record_debriefings(user):
        raise PermissionDenied(_("Debriefings are recorded by analysts who are members of a named group."))
    form = DebriefingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            debriefing = record_debriefing(actor=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Debriefing recorded: only the members of %(group)s read it.") % {
                "group": debriefing.group.name})
            return redirect("reports:debriefing", pk=debriefing.pk)
    return render(request, "reports/debriefing_new.html", {"form": form}, status=400 if form.errors else 200)


def linked_reports(user, debriefing):
    """The debriefing's earlier reports that the viewer may read (the others are not named)."""
    return _with_references(FieldReport.objects.visible_to(user).filter(debriefings=debriefing)
                            .select_related("mission").order_by("period_start", "id"))


@login_required
def debriefing_detail(request, pk):
    user = request.user
    debriefing = (IntelligenceDebriefing.objects.visible_to(user).filter(pk=pk)
                  .select_related("officer", "group", "recorded_by").first())
    if debriefing is None:
        raise Http404
    reports = linked_reports(user, debriefing)
    record(actor=user, action="read", obj=debriefing, fields=DEBRIEFING_FIELDS,
           detail={"officer_id": debriefing.officer_id, "group_id": debriefing.group_id})
    return render(request, "reports/debriefing.html", {"debriefing": debriefing, "reports": reports})
