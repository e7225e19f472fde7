"""The near-duplicates' API endpoints on the reports router (issue 12 §4): a report's possible
near-duplicates among the reports the caller may read, and the analyst's decision ("duplicate of",
"not a duplicate": a link, never a merge). The same form and workflow as the page; the write takes
an Idempotency-Key (the API's middleware)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from dividend.audit.services import record_list
from dividend.common.api import IdFilter, IdPath, Text, error_responses, form_errors

from . import access, duplicates
from .api import _gate, router
from .duplicate_forms import DuplicateDecisionForm
from .duplicate_services import decide_duplicate as decide
from .models import DuplicateDecision, FieldReport


class DuplicateSuggestionOut(Schema):
    report_id: int
    title: str
    officer_id: int
    mission_id: int
    marking: str
    submitted_at: dt.datetime
    similarity: Annotated[float, Field(description="0 to 1: how alike the two reports' texts are")]


class DuplicateDecisionOut(Schema):
    id: int
    report_id: Annotated[int, Field(description="The report judged")]
    other_id: Annotated[int, Field(description="The report it duplicates, or is not a duplicate of")]
    verdict: Annotated[str, Field(description="duplicate or not_duplicate")]
    note: str
    decided_at: dt.datetime


class DuplicatesOut(Schema):
    suggestions: list[DuplicateSuggestionOut]
    decisions: list[DuplicateDecisionOut]


class DuplicateDecisionIn(Schema):
    other: IdFilter
    verdict: Annotated[Text(14), Field(description="duplicate (this report is a duplicate of `other`) or "
                                                   "not_duplicate")]
    note: Text(500) = ""


def _decision_out(d) -> dict:
    return {"id": d.pk, "report_id": d.report_id, "other_id": d.other_id, "verdict": d.verdict, "note": d.note,
            "decided_at": d.decided_at}


def _report_for_duplicates(user, report_id) -> FieldReport:
    _gate(user)
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=report_id)
    if not access.can_triage_report(user, report):
        raise PermissionDenied("You may not triage this report.")
    return report


@router.get("/{report_id}/duplicates", response={200: DuplicatesOut, **error_responses(400, 401, 403, 404)})
def report_duplicates(request, report_id: IdPath):
    """Possible near-duplicates of a report among the reports you may read (analysts who triage it),
    most alike first, and the decisions recorded on it. A pair decided on is not suggested again."""
    report = _report_for_duplicates(request.user, report_id)
    found = duplicates.suggestions(request.user, report)
    if found:
        record_list(actor=request.user, object_type="reports.fieldreport", ids=[s.report.pk for s in found],
                    filters={"duplicates_of": report.pk}, fields=["title", "mission", "officer", "similarity"],
                    detail={"officer_ids": sorted({s.report.officer_id for s in found})})
    return {"suggestions": [{"report_id": s.report.pk, "title": s.report.title, "officer_id": s.report.officer_id,
                             "mission_id": s.report.mission_id, "marking": s.report.marking,
                             "submitted_at": s.report.submitted_at, "similarity": s.similarity} for s in found],
            "decisions": [_decision_out(d) for d in duplicates.decisions(request.user, report)]}


@router.post("/{report_id}/duplicates", response={201: DuplicateDecisionOut, 200: DuplicateDecisionOut,
                                                  **error_responses(400, 401, 403, 404)})
def decide_duplicate(request, report_id: IdPath, payload: DuplicateDecisionIn):
    """Record that this report is a duplicate of another (`duplicate`) or is not (`not_duplicate`):
    a link, never a merge. 201 for a pair's first decision; 200 when it replaces (or repeats) one."""
    report = _report_for_duplicates(request.user, report_id)
    form = DuplicateDecisionForm(data=payload.dict(), user=request.user, report=report)
    if not form.is_valid():
        raise form_errors(form)
    other = form.cleaned_data["other"]
    before = DuplicateDecision.objects.filter(report__in=[report, other], other__in=[report, other]).exists()
    decision = decide(actor=request.user, report=report, **form.cleaned_data)
    return Status(200 if before else 201, _decision_out(decision))
