"""The reports API: field reports (filing, reading, triage) and information requirements. Input goes
through the same forms as the web pages and the same workflows (services.py); a text with a
classification marking is a 400 naming the field and the marking, and nothing of it is stored."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
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
from dividend.roster.models import Officer

from . import access, services
from .forms import FieldReportForm, RequirementForm, StatusForm
from .models import FieldReport, InformationRequirement

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    officer_id: int
    mission_id: int
    period_start: dt.date
    period_end: dt.date
    kind: str
    title: str
    body: str
    themes: list[int]
    countries: list[int]
    places: list[str]
    marking: str
    credibility: int
    reliability: str
    requirements: list[int]
    status: str
    status_reason: str
    submitted_at: dt.datetime


class ReportPage(Page):
    items: list[ReportOut]


class ReportFilters(Schema):
    status: FieldReport.Status | None = None
    mission: IdFilter | None = None
    limit: Limit = 50
    offset: Offset = 0


class ReportIn(Schema):
    draft_key: Annotated[Text(64, min_length=8), Field(description="The client's key for this draft: sending "
                                                                   "it again files nothing twice.")]
    mission: IdFilter
    period_start: IsoDate
    period_end: IsoDate
    kind: Text(10)
    title: Text(200)
    body: Text(20000)
    themes: Annotated[list[IdFilter], Field(max_length=50)] = []
    countries: Annotated[list[IdFilter], Field(max_length=50)] = []
    places: Text(500) = ""
    marking: Annotated[Text(12), Field(description="TLP 2.0: clear, green, amber, amber_strict or red")]
    credibility: Annotated[int, Field(ge=1, le=6)]
    reliability: Text(1)
    requirements: Annotated[list[IdFilter], Field(max_length=50)] = []


class ReportStatusIn(Schema):
    status: Text(20)
    reason: Text(2000) = ""


class InformationRequirementOut(Schema):
    id: int
    title: str
    description: str
    mission_id: int | None
    region: str
    theme_id: int | None
    active: bool


class InformationRequirementIn(Schema):
    title: Text(200)
    description: Text(4000)
    mission: IdFilter | None = None
    region: Text(60) = ""
    theme: IdFilter | None = None


def report_out(r: FieldReport) -> dict:
    return {"id": r.pk, "officer_id": r.officer_id, "mission_id": r.mission_id, "period_start": r.period_start,
            "period_end": r.period_end, "kind": r.kind, "title": r.title, "body": r.body,
            "themes": sorted(t.pk for t in r.themes.all()), "countries": sorted(c.pk for c in r.countries.all()),
            "places": r.place_list, "marking": r.marking, "credibility": r.credibility, "reliability": r.reliability,
            "requirements": sorted(q.pk for q in r.requirements.all()), "status": r.status,
            "status_reason": r.status_reason, "submitted_at": r.submitted_at}


def _reports(user):
    return FieldReport.objects.visible_to(user).with_related().prefetch_related("themes", "countries", "requirements")


def _gate(user):
    if not access.can_use_reports(user):
        raise PermissionDenied("Field reports are for secondees and analysts.")


@router.get("", response={200: ReportPage, **error_responses(400, 401, 403)})
def list_reports(request, filters: Query[ReportFilters]):
    """Field reports you may read (analysts: their pools' officers; a secondee: their own), newest first."""
    _gate(request.user)
    reports = _reports(request.user)
    if filters.status is not None:
        reports = reports.filter(status=filters.status)
    if filters.mission is not None:
        reports = reports.filter(mission_id=filters.mission)
    count, items = paginate(reports, limit=filters.limit, offset=filters.offset)
    if items:
        record_list(actor=request.user, object_type="reports.fieldreport", ids=[r.pk for r in items],
                    filters=filters.dict(), fields=[k for k in ReportOut.model_fields if k != "id"],
                    detail={"total": count, "officer_ids": sorted({r.officer_id for r in items})})
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [report_out(r) for r in items]}


@router.post("", response={201: ReportOut, 200: ReportOut, **error_responses(400, 401, 403)})
def file_report(request, payload: ReportIn):
    """File a field report on a mission you are deployed to (a secondee). The same `draft_key` sent
    again answers 200 with the report filed the first time."""
    officer = Officer.objects.filter(user=request.user).first()
    if not access.can_file_reports(request.user) or officer is None:
        raise PermissionDenied("Only a secondee with an officer record files field reports.")
    form = FieldReportForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    already = FieldReport.objects.filter(officer=officer, draft_key=form.cleaned_data["draft_key"]).exists()
    report = services.file_report(actor=request.user, officer=officer, **form.cleaned_data)
    return Status(200 if already else 201, report_out(_reports(request.user).get(pk=report.pk)))


@router.get("/requirements", response={200: list[InformationRequirementOut], **error_responses(401, 403)})
def list_requirements(request):
    """Information requirements: every one for analysts, those of your mission for a secondee."""
    _gate(request.user)
    return [{"id": r.pk, "title": r.title, "description": r.description, "mission_id": r.mission_id,
             "region": r.region, "theme_id": r.theme_id, "active": r.active}
            for r in InformationRequirement.objects.visible_to(request.user)]


@router.post("/requirements", response={201: InformationRequirementOut, **error_responses(400, 401, 403)})
def create_requirement(request, payload: InformationRequirementIn):
    """Set a standing information requirement for a mission, a region or a theme (analysts)."""
    if not access.can_set_requirements(request.user):
        raise PermissionDenied("Only analysts set information requirements.")
    form = RequirementForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    r = services.create_requirement(actor=request.user, **form.cleaned_data)
    return Status(201, {"id": r.pk, "title": r.title, "description": r.description, "mission_id": r.mission_id,
                        "region": r.region, "theme_id": r.theme_id, "active": r.active})


@router.get("/{report_id}", response={200: ReportOut, **error_responses(400, 401, 403, 404)})
def get_report(request, report_id: IdPath):
    _gate(request.user)
    report = get_object_or_404(_reports(request.user), pk=report_id)
    record(actor=request.user, action="read", obj=report, fields=[k for k in ReportOut.model_fields if k != "id"],
           detail={"officer_id": report.officer_id})
    return report_out(report)


@router.post("/{report_id}/status", response={200: ReportOut, **error_responses(400, 401, 403, 404)})
def change_status(request, report_id: IdPath, payload: ReportStatusIn):
    """Move a report through triage: new → in review → accepted / filed / needs information (analysts)."""
    _gate(request.user)
    report = get_object_or_404(_reports(request.user), pk=report_id)
    if not access.can_triage_report(request.user, report):
        raise PermissionDenied("You may not triage this report.")
    form = StatusForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    services.change_report_status(actor=request.user, report=report, **form.cleaned_data)
    return report_out(_reports(request.user).get(pk=report.pk))
