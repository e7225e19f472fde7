"""The preparation API: a secondment's checklist (read, made on demand, items changed together), its
backfill (read, recorded), the overdue items and a pool's backfill with what its absences cost.
Input goes through the same forms and workflows as the pages; an unknown item code, a due date
after departure, a note on the medical item, a backfill period out of order or an overlapping
temporary promotion answer 400 naming the problem, and nothing is changed."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import IdFilter, IdPath, IsoDate, Text, error_responses, form_errors
from dividend.pools.models import Pool
from dividend.roster.models import Officer

from . import access, services
from .costs import pool_absences
from .forms import BackfillForm
from .models import Backfill, Checklist, preparing_statuses
from .overdue import overdue_items
from .queries import secondment_for
from .topics import briefing_topics

router = Router(tags=["preparation"])
MAX_ITEMS = 50


class ItemOut(Schema):
    code: str
    kind: str
    title: str
    due_date: dt.date
    done: bool
    done_at: dt.datetime | None
    done_by: str
    overdue: bool
    note: str = Field(description="Never on the medical item: it answers yes/no only.")
    returnee_id: int | None


class TopicOut(Schema):
    kind: str = Field(description="priority: a national thematic priority; requirement: a standing information "
                                  "requirement of the mission")
    title: str
    on_mission: bool


class ChecklistOut(Schema):
    secondment_id: int
    officer_id: int
    mission: str
    organisation: str
    departure: dt.date
    caveats: list[str]
    items: list[ItemOut]
    briefing_topics: list[TopicOut]


class ItemUpdateIn(Schema):
    code: Text(60)
    done: bool | None = None
    due_date: IsoDate | None = None
    note: Text(500) | None = None
    returnee: IdFilter | None = Field(None, description="The returnee met (the returnee exchange only).")


class ItemsIn(Schema):
    items: Annotated[list[ItemUpdateIn], Field(min_length=1, max_length=MAX_ITEMS)]


class BackfillOut(Schema):
    secondment_id: int
    officer_id: int
    arrangement: str
    substitute_id: int | None
    promoted_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    funding: str
    funding_note: str
    cost_figure: float | None
    recorded_at: dt.datetime


class BackfillIn(Schema):
    arrangement: Annotated[Text(12), Field(description="substitute, promotion or vacant")]
    substitute: IdFilter | None = Field(None, description="An officer on the pool's backfill roster.")
    promoted_service_number: Text(30) = Field("", description="A junior officer of the same pool.")
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    funding: Annotated[Text(12), Field(description="none, unit, central, organisation or other")] = "none"
    funding_note: Text(500) = ""
    cost_figure: Annotated[float, Field(ge=0, le=10**10)] | None = None


class OverdueOut(Schema):
    secondment_id: int
    officer_id: int
    officer: str
    code: str
    title: str
    due_date: dt.date
    days_overdue: int
    departure: dt.date


class AbsenceOut(Schema):
    secondment_id: int
    officer_id: int
    officer: str
    mission: str
    start_date: dt.date
    end_date: dt.date | None
    days: int | None
    cost: float | None
    cost_basis: str = Field(description="entered, rate (days × daily cost of the rank), open_ended or no_rate")
    arrangement: str = Field(description="substitute, promotion, vacant, or empty: not recorded")
    covering_officer_id: int | None
    covering_officer: str
    funding: str


class PoolBackfillOut(Schema):
    pool_id: int
    total_cost: float
    uncosted: int
    absences: list[AbsenceOut]


def checklist_out(checklist: Checklist, user, today: dt.date) -> dict:
    secondment = checklist.secondment
    preparing = secondment.status in preparing_statuses()
    items = checklist.items.select_related("done_by").order_by("due_date", "order", "id")
    return {"secondment_id": secondment.pk, "officer_id": secondment.officer_id,
            "mission": secondment.position.mission.acronym,
            "organisation": secondment.position.mission.organisation, "departure": secondment.start_date,
            "caveats": checklist.caveat_list,
            "items": [{"code": i.code, "kind": i.kind, "title": i.title, "due_date": i.due_date, "done": i.done,
                       "done_at": i.done_at, "done_by": i.done_by.get_username() if i.done_by else "",
                       "overdue": preparing and i.is_overdue(today), "note": "" if i.medical else i.note,
                       "returnee_id": i.returnee_id} for i in items],
            "briefing_topics": [{"kind": t.kind, "title": t.title, "on_mission": t.on_mission}
                                for t in briefing_topics(secondment.position.mission).topics]}


def _checklist(user, secondment_id) -> Checklist:
    secondment = secondment_for(user, secondment_id)
    checklist = Checklist.objects.filter(secondment=secondment).first()
    if checklist is None:
        raise Http404("This secondment has no checklist yet.")
    checklist.secondment = secondment
    return checklist


@router.get("/secondments/{secondment_id}/checklist",
            response={200: ChecklistOut, **error_responses(400, 401, 403, 404)})
def get_checklist(request, secondment_id: IdPath):
    """A secondment's pre-deployment checklist (its preparers and the officer): items with due dates,
    done or not with who/when, overdue flags; the medical item yes/no only."""
    checklist = _checklist(request.user, secondment_id)
    record(actor=request.user, action="read", obj=checklist, fields=[k for k in ChecklistOut.model_fields],
           detail={"officer_id": checklist.secondment.officer_id, "secondment_id": checklist.secondment_id})
    return checklist_out(checklist, request.user, timezone.localdate())


@router.post("/secondments/{secondment_id}/checklist",
             response={201: ChecklistOut, **error_responses(400, 401, 403, 404)})
def make_checklist(request, secondment_id: IdPath):
    """Make the checklist from the mission organisation's template (a secondment recorded by hand; the
    move to preparing makes it by itself)."""
    secondment = secondment_for(request.user, secondment_id)
    checklist = services.create_checklist(actor=request.user, secondment=secondment)
    checklist.secondment = secondment
    return Status(201, checklist_out(checklist, request.user, timezone.localdate()))


@router.post("/secondments/{secondment_id}/checklist/items",
             response={200: ChecklistOut, **error_responses(400, 401, 403, 404)})
def change_items(request, secondment_id: IdPath, payload: ItemsIn):
    """Change items by their code: done (true/false), due_date (on or before departure), note (not on
    the medical item), returnee. All or nothing: one problem and no item changes."""
    checklist = _checklist(request.user, secondment_id)
    if not access.can_prepare(request.user, checklist.secondment.officer):
        raise PermissionDenied("You may not prepare this secondment.")
    updates, errors = [], {}
    visible = Officer.objects.visible_to(request.user)
    for update in payload.items:
        given = update.model_dump(exclude_unset=True)
        if given.get("due_date", 0) is None:
            errors.setdefault("due_date", []).append(f"{update.code}: give a due date.")
        if "done" in given and given["done"] is None:
            errors.setdefault("done", []).append(f"{update.code}: done is true or false.")
        if "note" in given and given["note"] is None:
            given["note"] = ""
        if given.get("returnee") is not None:
            returnee = visible.filter(pk=given["returnee"]).first()
            if returnee is None:
                errors.setdefault("returnee", []).append(f"{update.code}: no such officer.")
            given["returnee"] = returnee
        updates.append(given)
    if errors:
        raise ValidationError(errors)
    services.update_items(actor=request.user, checklist=checklist, updates=updates)
    return checklist_out(checklist, request.user, timezone.localdate())


def backfill_out(b: Backfill) -> dict:
    return {"secondment_id": b.secondment_id, "officer_id": b.secondment.officer_id, "arrangement": b.arrangement,
            "substitute_id": b.substitute_id, "promoted_id": b.promoted_id, "start_date": b.start_date,
            "end_date": b.end_date, "funding": b.funding, "funding_note": b.funding_note,
            "cost_figure": float(b.cost_figure) if b.cost_figure is not None else None, "recorded_at": b.recorded_at}


def _preparer_secondment(user, secondment_id):
    secondment = secondment_for(user, secondment_id)
    if not access.can_prepare(user, secondment.officer):
        raise PermissionDenied("The backfill is for those who prepare the secondment.")
    return secondment


@router.get("/secondments/{secondment_id}/backfill", response={200: BackfillOut, **error_responses(400, 401, 403, 404)})
def get_backfill(request, secondment_id: IdPath):
    """How the officer's home post is covered while they are away (their preparers)."""
    secondment = _preparer_secondment(request.user, secondment_id)
    backfill = get_object_or_404(Backfill.objects.select_related("secondment"), secondment=secondment)
    record(actor=request.user, action="read", obj=backfill, fields=[k for k in BackfillOut.model_fields],
           detail={"officer_id": secondment.officer_id})
    return backfill_out(backfill)


@router.put("/secondments/{secondment_id}/backfill", response={200: BackfillOut, **error_responses(400, 401, 403, 404)})
def put_backfill(request, secondment_id: IdPath, payload: BackfillIn):
    """Record or correct the backfill: a substitute from the pool's backfill roster, a temporary
    promotion of a junior officer (start and end; not overlapping another of theirs), or vacant;
    the replacement funding; a cost figure (else days × the daily cost of the rank)."""
    secondment = _preparer_secondment(request.user, secondment_id)
    data = payload.dict()
    data["promoted"] = data.pop("promoted_service_number")
    form = BackfillForm(data=data, secondment=secondment, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    services.record_backfill(actor=request.user, secondment=secondment, **form.cleaned_data)
    return backfill_out(Backfill.objects.select_related("secondment").get(secondment=secondment))


@router.get("/overdue", response={200: list[OverdueOut], **error_responses(401, 403)})
def list_overdue(request):
    """Checklist items overdue today on the secondments you see being prepared, oldest due date first."""
    if not access.can_use_preparation(request.user):
        raise PermissionDenied("Preparation is for coordinators, HR managers and the secondees themselves.")
    rows = overdue_items(user=request.user)
    if rows:
        record_list(actor=request.user, object_type="preparation.checklistitem", ids=[r.item_id for r in rows],
                    fields=[k for k in OverdueOut.model_fields], filters={"overdue": True},
                    detail={"officer_ids": sorted({r.officer_id for r in rows})})
    return [{"secondment_id": r.secondment_id, "officer_id": r.officer_id, "officer": r.officer_name, "code": r.code,
             "title": r.title, "due_date": r.due_date, "days_overdue": r.days_overdue, "departure": r.departure}
            for r in rows]


@router.get("/pools/{pool_id}/backfill", response={200: PoolBackfillOut, **error_responses(400, 401, 403, 404)})
def pool_backfill(request, pool_id: IdPath):
    """A home unit's absences (officers selected, being prepared or deployed): what each costs and how
    the post is covered."""
    if not access.can_use_backfill(request.user):
        raise PermissionDenied("The backfill pages are for coordinators and HR managers.")
    pool = get_object_or_404(Pool, pk=pool_id)
    if not access.can_view_backfill(request.user, pool.pk):
        raise Http404
    absences = pool_absences(pool)
    if absences.rows:
        record_list(actor=request.user, object_type="secondments.secondment",
                    ids=[r.secondment.pk for r in absences.rows], fields=[k for k in AbsenceOut.model_fields],
                    filters={"pool": pool.pk},
                    detail={"officer_ids": sorted({r.secondment.officer_id for r in absences.rows}
                                                  | {r.backfill.covering.pk for r in absences.rows
                                                     if r.backfill and r.backfill.covering})})
    return {"pool_id": pool.pk, "total_cost": float(absences.total_cost), "uncosted": absences.uncosted,
            "absences": [{"secondment_id": r.secondment.pk, "officer_id": r.secondment.officer_id,
                          "officer": r.secondment.officer.full_name, "mission": r.secondment.position.mission.acronym,
                          "start_date": r.secondment.start_date, "end_date": r.secondment.end_date, "days": r.days,
                          "cost": float(r.cost) if r.cost is not None else None, "cost_basis": r.basis,
                          "arrangement": r.backfill.arrangement if r.backfill else "",
                          "covering_officer_id": r.backfill.covering.pk if r.backfill and r.backfill.covering else None,
                          "covering_officer": r.backfill.covering.full_name if r.backfill and r.backfill.covering else "",
                          "funding": r.backfill.funding if r.backfill else ""} for r in absences.rows]}
