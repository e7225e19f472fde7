import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from dividend.audit.services import record_list
from dividend.common.api import (
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Page,
    error_responses,
    form_errors,
    paginate,
    text_of,
)
from dividend.roster.access import can_manage_secondments
from dividend.roster.models import Officer

from .access import can_change_secondment
from .forms import HandoverForm, MoveForm, PromotionForm, SecondmentForm
from .models import Secondment
from .services import create_secondment, make_move, record_handover, record_promotion, record_read

router = Router(tags=["secondments"])


class SecondmentOut(Schema):
    id: int
    officer_id: int
    officer: str
    position_id: int
    mission: str
    start_date: dt.date
    end_date: dt.date | None
    status: str
    status_reason: str
    cut_short: bool
    cut_short_reason: str


class PromotionIn(Schema):
    rank: int
    effective_on: IsoDate
    reason: text_of(PromotionForm, "reason") = ""


class PromotionOut(Schema):
    id: int
    secondment_id: int
    previous_rank: str
    new_rank: str
    effective_on: dt.date
    reason: str


class HandoverIn(Schema):
    successor: int
    handed_over_on: IsoDate
    notes: text_of(HandoverForm, "notes") = ""


class HandoverOut(Schema):
    id: int
    secondment_id: int
    successor_id: int
    handed_over_on: dt.date
    notes: str


class SecondmentPage(Page):
    items: list[SecondmentOut]


class SecondmentFilters(Schema):
    status: Secondment.Status | None = None
    officer: IdFilter | None = None
    limit: Limit = 50
    offset: Offset = 0


class SecondmentIn(Schema):
    officer: int
    position: int
    start_date: IsoDate
    end_date: IsoDate | None = None
    status: Secondment.Status = Secondment.Status.SELECTED
    reason: text_of(SecondmentForm, "reason") = ""


class MoveIn(Schema):
    move: Secondment.Move
    date: IsoDate | None = None
    reason: text_of(MoveForm, "reason") = ""


def secondment_out(s: Secondment) -> dict:
    return {"id": s.pk, "officer_id": s.officer_id, "officer": s.officer.full_name, "position_id": s.position_id,
            "mission": s.position.mission.acronym, "start_date": s.start_date, "end_date": s.end_date,
            "status": s.status, "status_reason": s.status_reason, "cut_short": s.cut_short,
            "cut_short_reason": s.cut_short_reason}


@router.get("", response={200: SecondmentPage, **error_responses(400, 401)})
def list_secondments(request, filters: Query[SecondmentFilters]):
    """Secondments you may see, filtered by status and officer (id)."""
    secondments = Secondment.objects.visible_to(request.user).with_related()
    if filters.status is not None:
        secondments = secondments.filter(status=filters.status)
    if filters.officer is not None:
        secondments = secondments.filter(officer_id=filters.officer)
    count, items = paginate(secondments, limit=filters.limit, offset=filters.offset)
    items = [secondment_out(s) for s in items]
    record_list(actor=request.user, object_type="secondments.secondment", ids=[s["id"] for s in items],
                filters=filters.dict(), fields=[k for k in SecondmentOut.model_fields if k != "id"],
                detail={"total": count, "officer_ids": sorted({s["officer_id"] for s in items})})
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.post("", response={201: SecondmentOut, **error_responses(400, 401, 403, 404)})
def record(request, payload: SecondmentIn):
    """Record a secondment: selected or preparing, or past mission history (deployed, returned with an end date)."""
    officer = get_object_or_404(Officer.objects.visible_to(request.user), pk=payload.officer)
    if not can_manage_secondments(request.user, officer):
        raise PermissionDenied("You may not record secondments for this officer.")
    form = SecondmentForm(data=payload.dict(exclude={"officer"}))
    if not form.is_valid():
        raise form_errors(form)
    secondment = create_secondment(actor=request.user, officer=officer, **form.cleaned_data)
    return Status(201, secondment_out(Secondment.objects.with_related().get(pk=secondment.pk)))


@router.get("/{secondment_id}", response={200: SecondmentOut, **error_responses(400, 401, 404)})
def get_secondment(request, secondment_id: IdPath):
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=secondment_id)
    record_read(actor=request.user, secondment=secondment, fields=[k for k in SecondmentOut.model_fields if k != "id"])
    return secondment_out(secondment)


@router.post("/{secondment_id}/moves", response={200: SecondmentOut, **error_responses(400, 401, 403, 404)})
def move(request, secondment_id: IdPath, payload: MoveIn):
    """Move the secondment on: prepare, deploy, extend (date: the new end), return or cut_short (date:
    the day the officer came back, today if none), reintegrate, cancel. Extend, cut_short and cancel
    need a reason."""
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=secondment_id)
    form = MoveForm(data=payload.dict(), secondment=secondment, user=request.user)
    if not can_change_secondment(request.user, secondment):
        raise PermissionDenied("You may not change this secondment.")
    if not form.is_valid():
        raise form_errors(form)
    return secondment_out(make_move(actor=request.user, secondment=secondment, **form.cleaned_data))


def _managed(request, secondment_id):
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=secondment_id)
    if not can_change_secondment(request.user, secondment):
        raise PermissionDenied("You may not change this secondment.")
    return secondment


@router.post("/{secondment_id}/promotions", response={201: PromotionOut, **error_responses(400, 401, 403, 404)})
def promote(request, secondment_id: IdPath, payload: PromotionIn):
    """Record a promotion while deployed: the new rank goes on the officer's record."""
    secondment = _managed(request, secondment_id)
    form = PromotionForm(data=payload.dict(), secondment=secondment, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    p = record_promotion(actor=request.user, secondment=secondment, **form.cleaned_data)
    return Status(201, {"id": p.pk, "secondment_id": secondment.pk, "previous_rank": p.previous_rank.code,
                        "new_rank": p.new_rank.code, "effective_on": p.effective_on, "reason": p.reason})


@router.post("/{secondment_id}/handover", response={201: HandoverOut, **error_responses(400, 401, 403, 404)})
def hand_over(request, secondment_id: IdPath, payload: HandoverIn):
    """Record the handover of the position to the successor (another secondment on the same position)."""
    secondment = _managed(request, secondment_id)
    form = HandoverForm(data=payload.dict(), secondment=secondment, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    h = record_handover(actor=request.user, secondment=secondment, **form.cleaned_data)
    return Status(201, {"id": h.pk, "secondment_id": secondment.pk, "successor_id": h.successor_id,
                        "handed_over_on": h.handed_over_on, "notes": h.notes})
