"""The commitments API: commitment documents with their assignments (adding one, moving its status),
the coordination forum's meetings, decisions and follow-up, and the budget's figures (lines with what
is committed and paid, cost per person-month); charging a cost and correcting one. Input goes through the same forms and
workflows as the pages. No person is named but in the costs, which only who sees the secondment lists."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from dividend.common.api import (
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Text,
    error_responses,
    form_errors,
    paginate,
)

from . import access, services
from .forms import AssignmentForm, CostForm, MoveForm
from .models import Assignment, CommitmentDocument, ForumMeeting, SecondmentCost

router = Router(tags=["commitments"])

Year = Annotated[int, Field(ge=0, le=9999, description="A year, 2000 to 2100.")]


def _gate(user):
    if not access.can_read_commitments(user):
        raise PermissionDenied("Commitments and the budget are for the Ministry liaison, policy officers, "
                               "coordinators, auditors and administrators.")


class CommitmentAssignmentOut(Schema):
    id: int
    document: int
    text: str
    owner: str
    report_back_on: dt.date
    status: str
    overdue: bool
    status_changed_at: dt.datetime | None
    status_reason: str


class CommitmentDocumentOut(Schema):
    id: int
    kind: str
    year: int
    title: str
    issued_by: str
    issued_on: dt.date
    pool: int | None = Field(description="The pool's id; null: a national document.")
    summary: str
    assignments: list[CommitmentAssignmentOut]


class CommitmentDocumentFilters(Schema):
    year: Year | None = None
    limit: Limit = 50
    offset: Offset = 0


class CommitmentDocumentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CommitmentDocumentOut]


class CommitmentAssignmentIn(Schema):
    text: Text(500)
    owner: Text(200)
    report_back_on: IsoDate


class CommitmentMoveIn(Schema):
    status: Text(20)
    reason: Text(500) = ""


class ForumFollowUpOut(Schema):
    id: int
    action: str
    owner: str
    due_on: dt.date
    status: str
    overdue: bool


class ForumDecisionOut(Schema):
    id: int
    kind: str
    text: str
    mission: int | None
    position: int | None
    follow_ups: list[ForumFollowUpOut]


class ForumMeetingOut(Schema):
    id: int
    forum: int
    forum_name: str
    held_on: dt.date
    summary: str
    decisions: list[ForumDecisionOut]


class ForumMeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ForumMeetingOut]


class BudgetLineOut(Schema):
    id: int
    year: int
    pool: int | None
    kind: str
    title: str
    amount: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    used_percent: Decimal | None


class BudgetTotalsOut(Schema):
    budget: Decimal
    committed: Decimal
    paid: Decimal
    spent: Decimal = Field(description="Committed + paid.")
    remaining: Decimal
    used_percent: Decimal | None


class CommitmentBudgetOut(Schema):
    year: int
    lines: list[BudgetLineOut]
    national: BudgetTotalsOut | None = Field(description="The national lines' totals; null: no national budget line.")
    cost_per_person_month: Decimal | None = Field(description="National: costs ÷ person-months of the "
                                                              "secondments charged; null: no cost yet.")


class SecondmentCostIn(Schema):
    line: IdFilter
    secondment: IdFilter
    category: Literal["salary", "travel", "insurance", "replacement", "training", "other"]
    stage: Literal["committed", "paid"] = "paid"
    amount: Annotated[float, Field(ge=-1e15, le=1e15, description="EUR, zero or more, two decimals.")]
    incurred_on: IsoDate
    note: Text(300) = ""


class SecondmentCostOut(Schema):
    id: int
    line: int
    secondment: int
    category: str
    stage: str
    amount: Decimal
    incurred_on: dt.date


def _assignment_out(a, today) -> dict:
    return {"id": a.pk, "document": a.document_id, "text": a.text, "owner": a.owner, "report_back_on": a.report_back_on,
            "status": a.status, "overdue": a.is_overdue(today), "status_changed_at": a.status_changed_at,
            "status_reason": a.status_reason}


def _document_out(d, today) -> dict:
    return {"id": d.pk, "kind": d.kind, "year": d.year, "title": d.title, "issued_by": d.issued_by,
            "issued_on": d.issued_on, "pool": d.pool_id, "summary": d.summary,
            "assignments": [_assignment_out(a, today) for a in d.assignments.all()]}


@router.get("/documents", response={200: CommitmentDocumentPage, **error_responses(400, 401, 403)})
def list_documents(request, filters: Query[CommitmentDocumentFilters]):
    """Commitment documents you may read (national and your pools'), newest year first, with their assignments."""
    _gate(request.user)
    documents = CommitmentDocument.objects.visible_to(request.user).prefetch_related("assignments")
    if filters.year:
        documents = documents.filter(year=filters.year)
    count, items = paginate(documents, limit=filters.limit, offset=filters.offset)
    today = timezone.localdate()
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [_document_out(d, today) for d in items]}


@router.get("/documents/{document_id}", response={200: CommitmentDocumentOut, **error_responses(400, 401, 403, 404)})
def get_document(request, document_id: IdPath):
    _gate(request.user)
    document = get_object_or_404(CommitmentDocument.objects.visible_to(request.user), pk=document_id)
    return _document_out(document, timezone.localdate())


@router.post("/documents/{document_id}/assignments", response={201: CommitmentAssignmentOut, **error_responses(400, 401, 403, 404)})
def add_assignment(request, document_id: IdPath, payload: CommitmentAssignmentIn):
    """A new assignment of the document (whoever records the document)."""
    _gate(request.user)
    document = get_object_or_404(CommitmentDocument.objects.visible_to(request.user), pk=document_id)
    if not access.can_edit_document(request.user, document):
        raise PermissionDenied("Assignments are recorded by whoever records the document.")
    form = AssignmentForm(payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    assignment, _changed = services.save_assignment(actor=request.user, document=document, **form.cleaned_data)
    return Status(201, _assignment_out(assignment, timezone.localdate()))


@router.post("/assignments/{assignment_id}/move", response={200: CommitmentAssignmentOut, **error_responses(400, 401, 403, 404)})
def move_assignment(request, assignment_id: IdPath, payload: CommitmentMoveIn):
    """Move an assignment's status (open, in_progress, reported, cancelled) with a reason."""
    _gate(request.user)
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user).select_related("document"),
                                   pk=assignment_id)
    if not access.can_edit_document(request.user, assignment.document):
        raise PermissionDenied("Assignments are recorded by whoever records the document.")
    form = MoveForm(payload.dict(), user=request.user, obj=assignment)
    if not form.is_valid():
        raise form_errors(form)
    assignment = services.move_assignment(actor=request.user, assignment=assignment, **form.cleaned_data)
    return _assignment_out(assignment, timezone.localdate())


class ForumMeetingFilters(Schema):
    limit: Limit = 50
    offset: Offset = 0


@router.get("/meetings", response={200: ForumMeetingPage, **error_responses(400, 401, 403)})
def list_meetings(request, filters: Query[ForumMeetingFilters]):
    """The coordination forum's meetings, latest first, with their decisions and follow-up."""
    _gate(request.user)
    meetings = ForumMeeting.objects.visible_to(request.user).select_related("forum").prefetch_related(
        "decisions__follow_ups")
    count, items = paginate(meetings, limit=filters.limit, offset=filters.offset)
    today = timezone.localdate()
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [{
        "id": m.pk, "forum": m.forum_id, "forum_name": m.forum.name, "held_on": m.held_on, "summary": m.summary,
        "decisions": [{"id": d.pk, "kind": d.kind, "text": d.text, "mission": d.mission_id, "position": d.position_id,
                       "follow_ups": [{"id": f.pk, "action": f.action, "owner": f.owner, "due_on": f.due_on,
                                       "status": f.status, "overdue": f.is_overdue(today)}
                                      for f in d.follow_ups.all()]} for d in m.decisions.all()]}
        for m in items]}


class CommitmentBudgetFilters(Schema):
    year: Year | None = None


@router.get("/budget", response={200: CommitmentBudgetOut, **error_responses(400, 401, 403)})
def get_budget(request, filters: Query[CommitmentBudgetFilters]):
    """The year's budget lines you may read (national and your pools'), each with what is committed and
    paid; the national totals and cost per person-month. Sums only: no person named."""
    _gate(request.user)
    year = filters.year or timezone.localdate().year
    lines = [p for group in services.spending_by_pool(year, request.user) for p in group["positions"]]
    national = services.budget_position(year)
    return {"year": year, "national": national and {k: v for k, v in national.items() if k not in ("year", "pool")},
            "cost_per_person_month": services.expected_cost_per_person_month(year) if national else None,
            "lines": [{"id": p.line.pk, "year": p.line.year, "pool": p.line.pool_id, "kind": p.line.kind,
                       "title": p.line.title, "amount": p.line.amount, "committed": p.committed, "paid": p.paid,
                       "remaining": p.remaining, "used_percent": p.used_percent} for p in lines]}


@router.post("/costs", response={201: SecondmentCostOut, **error_responses(400, 401, 403)})
def charge_cost(request, payload: SecondmentCostIn):
    """Charge a cost of a secondment (one you see) to a budget line you record."""
    _gate(request.user)
    if not access.can_record_commitments(request.user):
        raise PermissionDenied("Costs are charged by policy officers and administrators.")
    cost, _changed = services.record_cost(actor=request.user, **_cost_form(request.user, payload).cleaned_data)
    return Status(201, _cost_out(cost))


@router.put("/costs/{cost_id}", response={200: SecondmentCostOut, **error_responses(400, 401, 403, 404)})
def correct_cost(request, cost_id: IdPath, payload: SecondmentCostIn):
    """Correct a charged cost (one you see, on a line you record): every field as when charging it;
    audited with the old and new values, nothing written when nothing differs."""
    _gate(request.user)
    cost = get_object_or_404(SecondmentCost.objects.visible_to(request.user).select_related("line"), pk=cost_id)
    if not access.can_edit_cost(request.user, cost):
        raise PermissionDenied("Costs are corrected by whoever records the budget line.")
    cost, _changed = services.record_cost(actor=request.user, cost=cost,
                                          **_cost_form(request.user, payload).cleaned_data)
    return _cost_out(cost)


def _cost_form(user, payload: SecondmentCostIn) -> CostForm:
    """The page's form over the request body (the one input boundary); 400 with every error."""
    data = payload.dict()
    data["amount"] = f"{data['amount']:.10g}"
    form = CostForm({k: ("" if v is None else str(v)) for k, v in data.items()}, user=user)
    if not form.is_valid():
        raise form_errors(form)
    return form


def _cost_out(cost) -> dict:
    cost = SecondmentCost.objects.get(pk=cost.pk)  # the stored values (amount rounded to cents)
    return {"id": cost.pk, "line": cost.line_id, "secondment": cost.secondment_id, "category": cost.category,
            "stage": cost.stage, "amount": cost.amount, "incurred_on": cost.incurred_on}
