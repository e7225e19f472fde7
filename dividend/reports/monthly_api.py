"""The API of the monthly mission reports (issue 12 §7) and the intelligence debriefings (§8), under
/api/reports/monthly and /api/reports/debriefings. Input goes through the pages' forms and the same
workflows; a report or debriefing the caller may not read is a 404 (its existence is not told)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import (
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Page,
    Text,
    error_responses,
    form_errors,
    paginate,
)

from . import access, monthly
from .models import FieldReport, IntelligenceDebriefing, MonthlyReport
from .monthly_forms import DebriefingForm, MonthlyMoveForm, MonthlyReportForm, MonthlyReportNewForm
from .services import record_debriefing

monthly_router = Router(tags=["reports"])
debriefings_router = Router(tags=["reports"])


class MonthlyReportOut(Schema):
    id: int
    reference: str
    mission_id: int
    month: Annotated[str, Field(description="YYYY-MM")]
    security_assessment: str
    political_update: str
    contingent_work: str
    marking: str
    status: str
    status_reason: str
    cited_reports: Annotated[list[int], Field(description="Ids of the cited field reports you may read.")]
    author_id: int | None
    approver_id: int | None
    approved_at: dt.datetime | None


class MonthlyReportPage(Page):
    items: list[MonthlyReportOut]


class MonthlyReportFilters(Schema):
    mission: IdFilter | None = None
    status: MonthlyReport.Status | None = None
    limit: Limit = 50
    offset: Offset = 0


class MonthlyReportNewIn(Schema):
    mission: IdFilter
    month: Annotated[Text(7), Field(description="The month reported on, YYYY-MM (not a later month than now)")]


class MonthlyReportIn(Schema):
    security_assessment: Text(20000)
    political_update: Text(20000)
    contingent_work: Text(20000)
    marking: Annotated[Text(12), Field(description="TLP 2.0: clear, green, amber, amber_strict or red; at least as "
                                                   "strict as the strictest cited report")]


class MonthlyMoveIn(Schema):
    move: Annotated[Text(10), Field(description="submit (the author), approve or return (a second analyst)")]
    reason: Text(2000) = ""


def monthly_out(r: MonthlyReport, user) -> dict:
    readable = set(FieldReport.objects.visible_to(user).filter(monthly_reports=r).values_list("pk", flat=True))
    return {"id": r.pk, "reference": r.reference, "mission_id": r.mission_id, "month": f"{r.month:%Y-%m}",
            "security_assessment": r.security_assessment, "political_update": r.political_update,
            "contingent_work": r.contingent_work, "marking": r.marking, "status": r.status,
            "status_reason": r.status_reason, "cited_reports": sorted(readable), "author_id": r.author_id,
            "approver_id": r.approver_id, "approved_at": r.approved_at}


def _gate(user):
    if not access.can_draft_monthly_reports(user):
        raise PermissionDenied("Monthly mission reports are for analysts.")


def _monthly(user, report_id) -> MonthlyReport:
    report = MonthlyReport.objects.filter(pk=report_id).select_related("mission").first()
    if report is None or not access.can_read_monthly_report(user, report):
        raise Http404
    return report


@monthly_router.get("", response={200: MonthlyReportPage, **error_responses(400, 401, 403)})
def list_monthly_reports(request, filters: Query[MonthlyReportFilters]):
    """Monthly mission reports you may read (analysts), newest month first."""
    _gate(request.user)
    reports = MonthlyReport.objects.visible_to(request.user).select_related("mission")
    if filters.mission is not None:
        reports = reports.filter(mission_id=filters.mission)
    if filters.status is not None:
        reports = reports.filter(status=filters.status)
    count, items = paginate(reports, limit=filters.limit, offset=filters.offset)
    if items:
        record_list(actor=request.user, object_type="reports.monthlyreport", ids=[r.pk for r in items],
                    filters=filters.dict(), fields=[k for k in MonthlyReportOut.model_fields if k != "id"])
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [monthly_out(r, request.user) for r in items]}


@monthly_router.post("", response={201: MonthlyReportOut, **error_responses(400, 401, 403)})
def draft_monthly_report(request, payload: MonthlyReportNewIn):
    """Draft the monthly report on a mission and month from the month's accepted field reports you
    read and the contact log you see (analysts); one report per mission and month."""
    _gate(request.user)
    form = MonthlyReportNewForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    report = monthly.create_monthly_report(actor=request.user, **form.cleaned_data)
    return Status(201, monthly_out(report, request.user))


@monthly_router.get("/{report_id}", response={200: MonthlyReportOut, **error_responses(400, 401, 404)})
def get_monthly_report(request, report_id: IdPath):
    report = _monthly(request.user, report_id)
    record(actor=request.user, action="read", obj=report, fields=[k for k in MonthlyReportOut.model_fields
                                                                   if k != "id"],
           detail={"reference": report.reference, "marking": report.marking})
    return monthly_out(report, request.user)


@monthly_router.put("/{report_id}", response={200: MonthlyReportOut, **error_responses(400, 401, 403, 404)})
def edit_monthly_report(request, report_id: IdPath, payload: MonthlyReportIn):
    """Edit the three sections and the marking (the author, while draft or returned). Sending it
    unchanged changes nothing."""
    report = _monthly(request.user, report_id)
    if not access.can_edit_monthly_report(request.user, report):
        raise PermissionDenied("Only the author edits a draft or a returned monthly report.")
    form = MonthlyReportForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    monthly.edit_monthly_report(actor=request.user, report=report, **form.cleaned_data)
    return monthly_out(report, request.user)


@monthly_router.post("/{report_id}/move", response={200: MonthlyReportOut, **error_responses(400, 401, 403, 404)})
def move_monthly_report(request, report_id: IdPath, payload: MonthlyMoveIn):
    """Submit (the author), approve or return with a reason (a second analyst, never the author)."""
    report = _monthly(request.user, report_id)
    form = MonthlyMoveForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    monthly.move(request.user, report, form.cleaned_data)
    return monthly_out(report, request.user)


# --- Intelligence debriefings (§8) -----------------------------------------------------------------


class IntelligenceDebriefingOut(Schema):
    id: int
    officer_id: int
    group_id: int
    held_on: dt.date
    content: str
    reports: Annotated[list[int], Field(description="Ids of the linked earlier reports you may read.")]
    careers_debriefing_id: int | None
    recorded_at: dt.datetime


class IntelligenceDebriefingIn(Schema):
    officer: IdFilter
    group: Annotated[IdFilter, Field(description="A named distribution list you are a member of")]
    held_on: IsoDate
    content: Text(20000)
    reports: Annotated[list[IdFilter], Field(max_length=100)] = []
    careers_debriefing: IdFilter | None = None


def debriefing_out(d: IntelligenceDebriefing, user) -> dict:
    readable = sorted(FieldReport.objects.visible_to(user).filter(debriefings=d).values_list("pk", flat=True))
    return {"id": d.pk, "officer_id": d.officer_id, "group_id": d.group_id, "held_on": d.held_on,
            "content": d.content, "reports": readable, "careers_debriefing_id": d.careers_debriefing_id,
            "recorded_at": d.recorded_at}


def _debriefings_gate(user):
    if not access.can_use_debriefings(user):
        raise PermissionDenied("Intelligence debriefings are for the members of their named groups.")


@debriefings_router.get("", response={200: list[IntelligenceDebriefingOut], **error_responses(401, 403)})
def list_debriefings(request):
    """The debriefings of the named groups you are a member of (nobody sees any other)."""
    _debriefings_gate(request.user)
    items = list(IntelligenceDebriefing.objects.visible_to(request.user)[:200])
    if items:
        record_list(actor=request.user, object_type="reports.intelligencedebriefing", ids=[d.pk for d in items],
                    filters={}, fields=["officer", "group", "held_on", "content", "reports"],
                    detail={"officer_ids": sorted({d.officer_id for d in items})})
    return [debriefing_out(d, request.user) for d in items]


@debriefings_router.post("", response={201: IntelligenceDebriefingOut, **error_responses(400, 401, 403)})
def create_debriefing(request, payload: IntelligenceDebriefingIn):
    """Record an intelligence debriefing for a named group you are on (analysts)."""
    if not access.can_record_debriefings(request.user):
        raise PermissionDenied("Debriefings are recorded by analysts who are members of a named group.")
    form = DebriefingForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    debriefing = record_debriefing(actor=request.user, **form.cleaned_data)
    return Status(201, debriefing_out(debriefing, request.user))


@debriefings_router.get("/{debriefing_id}", response={200: IntelligenceDebriefingOut, **error_responses(400, 401, 404)})
def get_debriefing(request, debriefing_id: IdPath):
    debriefing = IntelligenceDebriefing.objects.visible_to(request.user).filter(pk=debriefing_id).first()
    if debriefing is None:
        raise Http404
    record(actor=request.user, action="read", obj=debriefing,
           fields=["officer", "group", "held_on", "content", "reports", "careers_debriefing"],
           detail={"officer_id": debriefing.officer_id, "group_id": debriefing.group_id})
    return debriefing_out(debriefing, request.user)
