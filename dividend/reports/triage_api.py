"""The triage's API endpoints on the reports router (issue 12 §4): the queue, assignment, comments,
bulk actions and suggestions. The same forms and workflows as the pages (reports.triage); every
write takes an Idempotency-Key (the API's middleware)."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import (
    IdFilter,
    IdPath,
    Limit,
    Offset,
    Page,
    Text,
    error_responses,
    form_errors,
    paginate,
)
from dividend.missions.models import Mission

from . import access, suggestions, triage
from .api import router
from .models import FieldReport, TriageComment, deployed_missions
from .triage_forms import AssignForm, BulkForm, CommentForm, SuggestForm


class TriageItemOut(Schema):
    id: int
    title: str
    officer_id: int
    mission_id: int
    marking: str
    status: str
    submitted_at: dt.datetime
    assigned_to: Annotated[int | None, Field(description="The user id of the analyst it is assigned to.")]
    locked_by: Annotated[int | None, Field(description="Who is editing its triage now (a live lock).")]
    locked_until: dt.datetime | None


class TriagePage(Page):
    items: list[TriageItemOut]


class TriageFilters(Schema):
    status: Annotated[Literal["open", "new", "in_review", "accepted", "filed", "needs_information"] | None,
                      Field(description="open: new, in review or needs information")] = "open"
    assigned: Annotated[Literal["me", "nobody"] | None, Field(description="me or nobody; none: anyone")] = None
    limit: Limit = 50
    offset: Offset = 0


class AssignIn(Schema):
    analyst: Annotated[IdFilter | None, Field(description="The analyst's user id; null: nobody.")] = None


class CommentIn(Schema):
    text: Text(4000)
    for_author: Annotated[bool, Field(description="Shown to the report's author too.")] = False


class CommentOut(Schema):
    id: int
    report_id: int
    author_id: int | None
    text: str
    for_author: bool
    created_at: dt.datetime


class BulkIn(Schema):
    reports: Annotated[list[IdFilter], Field(min_length=1, max_length=triage.MAX_BULK)]
    action: Annotated[Text(10), Field(description="assign or status")]
    analyst: Annotated[IdFilter | None, Field(description="For assign: the analyst's user id; null: nobody.")] = None
    status: Annotated[Text(20), Field(description="For status: the status to move to.")] = ""
    reason: Text(2000) = ""


class BulkOut(Schema):
    changed: list[int]
    unchanged: list[int]


class SuggestionOut(Schema):
    kind: Annotated[str, Field(description="theme, country or city")]
    key: Annotated[str, Field(description="Theme code, country ISO 3166 alpha-3 code, or geonames id")]
    name: str
    id: Annotated[int | None, Field(description="The theme's or country's id (for the report's fields)")]
    country: Annotated[str, Field(description="A city's country (ISO alpha-3)")]
    triggers: Annotated[list[str], Field(description="The words of the text that triggered it")]
    chosen: Annotated[bool, Field(description="Already on the report")]


class SuggestionsOut(Schema):
    themes: list[SuggestionOut]
    countries: list[SuggestionOut]
    cities: list[SuggestionOut]


class SuggestIn(Schema):
    title: Text(200) = ""
    body: Text(20000) = ""
    mission: IdFilter | None = None


def _suggestions_out(found) -> dict:
    return {group: [{"kind": s.kind, "key": s.key, "name": s.name, "id": s.obj.pk if s.obj is not None else None,
                     "country": s.country, "triggers": s.triggers, "chosen": s.chosen} for s in items]
            for group, items in found.items()}


def _triaged(user, report_id) -> FieldReport:
    if not access.can_use_reports(user):
        raise PermissionDenied("Field reports are for secondees and analysts.")
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=report_id)
    if not access.can_triage_report(user, report):
        raise PermissionDenied("You may not triage this report.")
    return report


def _item(r, now) -> dict:
    assignment, lock = getattr(r, "triage_assignment", None), getattr(r, "triage_lock", None)
    live = lock is not None and lock.is_live(now)
    return {"id": r.pk, "title": r.title, "officer_id": r.officer_id, "mission_id": r.mission_id,
            "marking": r.marking, "status": r.status, "submitted_at": r.submitted_at,
            "assigned_to": assignment.analyst_id if assignment else None,
            "locked_by": lock.holder_id if live else None, "locked_until": lock.expires_at if live else None}


@router.get("/triage/queue", response={200: TriagePage, **error_responses(400, 401, 403)})
def triage_queue(request, filters: Query[TriageFilters]):
    """The analysts' triage queue, oldest first: status (default open), assigned to me or nobody."""
    if not access.can_use_triage(request.user):
        raise PermissionDenied("The triage is for analysts.")
    reports = triage.queue(request.user, filters.status or "", filters.assigned or "")
    count, items = paginate(reports, limit=filters.limit, offset=filters.offset)
    if items:
        record_list(actor=request.user, object_type="reports.fieldreport", ids=[r.pk for r in items],
                    filters={**filters.dict(), "view": "triage"}, fields=["title", "mission", "status", "officer",
                                                                         "assigned_to"],
                    detail={"officer_ids": sorted({r.officer_id for r in items})})
    now = timezone.now()
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [_item(r, now) for r in items]}


@router.post("/triage/bulk", response={200: BulkOut, **error_responses(400, 401, 403)})
def triage_bulk(request, payload: BulkIn):
    """Assign several reports or move their status (one reason), all or nothing: a 400 names each
    report that cannot be changed (`errors["reports.<id>"]`) and nothing is changed."""
    if not access.can_use_triage(request.user):
        raise PermissionDenied("The triage is for analysts.")
    form = BulkForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    try:
        result = triage.bulk_triage(actor=request.user, reports=data["reports"], action=data["action"],
                                    analyst=data["analyst"], status=data["status"], reason=data["reason"])
    except triage.BulkRefused as refused:
        raise ValidationError({f"reports.{pk}": messages for pk, messages in refused.problems.items()}) from None
    return {"changed": result.changed, "unchanged": result.unchanged}


@router.post("/{report_id}/assign", response={200: TriageItemOut, **error_responses(400, 401, 403, 404)})
def assign(request, report_id: IdPath, payload: AssignIn):
    """Assign a report to an analyst who triages it (null: to nobody)."""
    report = _triaged(request.user, report_id)
    form = AssignForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    triage.assign_report(actor=request.user, report=report, analyst=form.cleaned_data["analyst"])
    report = FieldReport.objects.select_related("triage_assignment", "triage_lock").get(pk=report.pk)
    return _item(report, timezone.now())


@router.get("/{report_id}/comments", response={200: list[CommentOut], **error_responses(400, 401, 403, 404)})
def list_comments(request, report_id: IdPath):
    """Comments on a report: every one for the analysts who triage it; its author gets those
    marked for them."""
    if not access.can_use_reports(request.user):
        raise PermissionDenied("Field reports are for secondees and analysts.")
    report = get_object_or_404(FieldReport.objects.visible_to(request.user).with_related(), pk=report_id)
    comments = list(TriageComment.objects.visible_to(request.user, report))
    record(actor=request.user, action="read", obj=report, fields=["triage_comments"],
           detail={"officer_id": report.officer_id, "comments": len(comments)})
    return [{"id": c.pk, "report_id": c.report_id, "author_id": c.author_id, "text": c.text,
             "for_author": c.for_author, "created_at": c.created_at} for c in comments]


@router.post("/{report_id}/comments", response={201: CommentOut, **error_responses(400, 401, 403, 404)})
def add_comment(request, report_id: IdPath, payload: CommentIn):
    """Comment on a report for the analysts who triage it (`for_author`: its author reads it too)."""
    report = _triaged(request.user, report_id)
    form = CommentForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    c = triage.add_comment(actor=request.user, report=report, **form.cleaned_data)
    return Status(201, {"id": c.pk, "report_id": c.report_id, "author_id": c.author_id, "text": c.text,
                        "for_author": c.for_author, "created_at": c.created_at})


@router.get("/{report_id}/suggestions", response={200: SuggestionsOut, **error_responses(400, 401, 403, 404)})
def report_suggestions(request, report_id: IdPath):
    """Themes and places suggested by a report's title and text, with the words that triggered each;
    `chosen`: already on the report. Nothing is applied: set them through the triage."""
    if not access.can_use_reports(request.user):
        raise PermissionDenied("Field reports are for secondees and analysts.")
    report = get_object_or_404(FieldReport.objects.visible_to(request.user).with_related(), pk=report_id)
    record(actor=request.user, action="read", obj=report, fields=["title", "body"],
           detail={"officer_id": report.officer_id, "view": "suggestions"})
    found = suggestions.suggest(title=report.title, body=report.body, mission=report.mission,
                                chosen_themes=list(report.themes.all()), chosen_countries=list(report.countries.all()),
                                chosen_places=report.place_list)
    return _suggestions_out(found)


@router.post("/suggestions/draft", response={200: SuggestionsOut, **error_responses(400, 401, 403)})
def draft_suggestions(request, payload: SuggestIn):
    """Themes and places suggested for a draft's title and text (nothing is stored); a mission you
    are deployed to (analysts: any) weighs the places toward its host countries."""
    user = request.user
    if not access.can_suggest(user):
        raise PermissionDenied("Suggestions are for secondees and analysts.")
    form = SuggestForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    from .services import refuse_classified

    refuse_classified(title=data["title"], body=data["body"])
    missions = Mission.objects.all() if access.is_analyst(user) else deployed_missions(user)
    mission = missions.filter(pk=data["mission"]).first() if data["mission"] else None
    return _suggestions_out(suggestions.suggest(title=data["title"], body=data["body"], mission=mission))
