"""The selection API: calls, their positions and nominations. Input goes through the same forms as
the web pages and the same workflows (services.py); errors answer with the contract's body."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from dividend.audit.services import record_list
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
from .forms import (
    CallForm,
    CallPositionForm,
    CallStatusForm,
    DecisionReviewForm,
    InterestForm,
    NominationForm,
    OutcomeForm,
    ReleaseForm,
    TeamForm,
)
from .models import (
    Call,
    CallPosition,
    Decision,
    Nomination,
)

router = Router(tags=["selection"])



class CallOut(Schema):
    id: int
    organisation: str
    kind: str
    reference: str
    title: str
    published_on: dt.date
    organisation_deadline: dt.date
    national_deadline: dt.date
    pools: list[int]
    status: str
    status_reason: str
    positions: int


class CallPage(Page):
    items: list[CallOut]


class CallFilters(Schema):
    status: Call.Status | None = None
    organisation: Text(12) | None = None
    limit: Limit = 50
    offset: Offset = 0


class CallIn(Schema):
    organisation: Text(12)
    kind: Text(16) = Call.Kind.REGULAR
    reference: Text(60)
    title: Text(200)
    published_on: IsoDate
    organisation_deadline: IsoDate
    national_deadline: IsoDate
    pools: Annotated[list[IdFilter], Field(max_length=100)]
    notes: Text(2000) = ""


class CallStatusIn(Schema):
    status: Call.Status
    reason: Text(500) = ""


class CallPositionOut(Schema):
    id: int
    call_id: int
    position_id: int
    mission: str
    title: str
    posts: int


class CallPositionIn(Schema):
    position: IdFilter | None = None
    mission: IdFilter | None = None
    job_description: IdFilter | None = None
    title: Text(150) = ""
    reference: Text(40) = ""
    posts: Annotated[int, Field(ge=1, le=100)] = 1


class NominationOut(Schema):
    id: int
    call_id: int
    call_position_id: int
    officer_id: int
    officer: str
    origin: str
    status: str
    status_reason: str
    nominated_at: dt.datetime
    release_decided_at: dt.datetime | None
    release_days: int | None
    feedback: str
    secondment_id: int | None
    team_id: int | None


class NominationPage(Page):
    items: list[NominationOut]


class NominationFilters(Schema):
    call: IdFilter | None = None
    status: Nomination.Status | None = None
    limit: Limit = 50
    offset: Offset = 0


class NominationIn(Schema):
    call_position: IdFilter
    officer: IdFilter
    motivation: Text(2000) = ""


class TeamIn(Schema):
    call_position: IdFilter
    name: Text(120)
    members: Annotated[list[IdFilter], Field(max_length=100)]
    leader: IdFilter
    equipment: Text(4000) = ""
    motivation: Text(2000) = ""


class TeamOut(Schema):
    id: int
    call_position_id: int
    name: str
    leader_id: int
    equipment: list[str]
    nominations: list[NominationOut]


class ReleaseIn(Schema):
    decision: Annotated[Text(10), Field(description="release or refuse")]
    reason: Text(1000) = ""


class OutcomeIn(Schema):
    outcome: Annotated[Text(20), Field(description="selected, reserve or not_selected")]
    feedback: Text(4000)
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    justification: Annotated[Text(4000), Field(
        description="Required when the decision departs from the ranked order or the optimal assignment")] = ""


class DecisionOut(Schema):
    id: int
    nomination_id: int
    call_id: int
    officer_id: int
    officer: str
    outcome: str
    feedback: str
    start_date: dt.date | None
    end_date: dt.date | None
    justification: str
    departures: list[str]
    assignment_run_id: int | None
    status: str
    proposed_by: str | None
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str


class DecisionReviewIn(Schema):
    decision: Annotated[Text(10), Field(description="approve or reject")]
    reason: Text(1000) = ""



def call_out(call: Call) -> dict:
    return {"id": call.pk, "organisation": call.organisation, "kind": call.kind, "reference": call.reference,
            "title": call.title, "published_on": call.published_on, "organisation_deadline": call.organisation_deadline,
            "national_deadline": call.national_deadline, "pools": sorted(call.pool_ids()), "status": call.status,
            "status_reason": call.status_reason, "positions": len(call.positions.all())}


def call_position_out(cp: CallPosition) -> dict:
    return {"id": cp.pk, "call_id": cp.call_id, "position_id": cp.position_id, "mission": cp.position.mission.acronym,
            "title": cp.position.title, "posts": cp.posts}


def nomination_out(n: Nomination) -> dict:
    return {"id": n.pk, "call_id": n.call_position.call_id, "call_position_id": n.call_position_id,
            "officer_id": n.officer_id, "officer": n.officer.full_name, "origin": n.origin, "status": n.status,
            "status_reason": n.status_reason, "nominated_at": n.nominated_at, "release_decided_at": n.release_decided_at,
            "release_days": n.release_days, "feedback": n.feedback, "secondment_id": n.secondment_id,
            "team_id": n.team_id}


def visible_calls(user):
    return Call.objects.visible_to(user).prefetch_related("pools", "positions")


@router.get("/calls", response={200: CallPage, **error_responses(400, 401)})
def list_calls(request, filters: Query[CallFilters]):
    """Calls you may see, soonest national pre-deadline first."""
    calls = visible_calls(request.user)
    if filters.status is not None:
        calls = calls.filter(status=filters.status)
    if filters.organisation:
        calls = calls.filter(organisation=filters.organisation)
    count, items = paginate(calls, limit=filters.limit, offset=filters.offset)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [call_out(c) for c in items]}


@router.post("/calls", response={201: CallOut, **error_responses(400, 401, 403)})
def create_call(request, payload: CallIn):
    """Record a call as a draft: the national pre-deadline before the organisation's deadline; pools
    you coordinate."""
    if not access.can_create_calls(request.user):
        raise PermissionDenied("Only coordinators record calls for contributions.")
    form = CallForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    call = services.create_call(actor=request.user, **form.cleaned_data)
    return Status(201, call_out(visible_calls(request.user).get(pk=call.pk)))


@router.get("/calls/{call_id}", response={200: CallOut, **error_responses(400, 401, 404)})
def get_call(request, call_id: IdPath):
    return call_out(get_object_or_404(visible_calls(request.user), pk=call_id))


@router.post("/calls/{call_id}/status", response={200: CallOut, **error_responses(400, 401, 403, 404)})
def set_call_status(request, call_id: IdPath, payload: CallStatusIn):
    """Move the call on (draft → open → national selection → nominations sent → closed)."""
    call = get_object_or_404(visible_calls(request.user), pk=call_id)
    if not access.can_manage_call(request.user, call):
        raise PermissionDenied("You may not change this call.")
    form = CallStatusForm(data=payload.dict(), call=call)
    if not form.is_valid():
        raise form_errors(form)
    services.change_call_status(actor=request.user, call=call, **form.cleaned_data)
    return call_out(visible_calls(request.user).get(pk=call.pk))


@router.get("/calls/{call_id}/positions", response={200: list[CallPositionOut], **error_responses(400, 401, 404)})
def list_call_positions(request, call_id: IdPath):
    call = get_object_or_404(visible_calls(request.user), pk=call_id)
    return [call_position_out(cp) for cp in call.positions.with_related()]


@router.post("/calls/{call_id}/positions", response={201: CallPositionOut, **error_responses(400, 401, 403, 404)})
def add_call_position(request, call_id: IdPath, payload: CallPositionIn):
    """Offer a position: an existing one (`position`) or a new one on a mission (`mission` with a
    `job_description` and/or a `title`)."""
    call = get_object_or_404(visible_calls(request.user), pk=call_id)
    if not access.can_manage_call(request.user, call):
        raise PermissionDenied("You may not change this call.")
    form = CallPositionForm(data={k: v for k, v in payload.dict().items() if v is not None}, call=call)
    if not form.is_valid():
        raise form_errors(form)
    cp = services.add_call_position(actor=request.user, call=call, position=form.cleaned_data["position"],
                                    posts=form.cleaned_data["posts"])
    return Status(201, call_position_out(CallPosition.objects.with_related().get(pk=cp.pk)))


def _nominations(user):
    return Nomination.objects.visible_to(user).with_related()


@router.get("/nominations", response={200: NominationPage, **error_responses(400, 401)})
def list_nominations(request, filters: Query[NominationFilters]):
    """Nominations you may see (a secondee: their own), filtered by call and status."""
    nominations = _nominations(request.user).order_by("id")
    if filters.call is not None:
        nominations = nominations.filter(call_position__call_id=filters.call)
    if filters.status is not None:
        nominations = nominations.filter(status=filters.status)
    count, items = paginate(nominations, limit=filters.limit, offset=filters.offset)
    items = [nomination_out(n) for n in items]
    record_list(actor=request.user, object_type="selection.nomination", ids=[n["id"] for n in items],
                filters=filters.dict(), fields=[k for k in NominationOut.model_fields if k != "id"],
                detail={"total": count, "officer_ids": sorted({n["officer_id"] for n in items})})
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.post("/nominations", response={201: NominationOut, **error_responses(400, 401, 403, 404)})
def create_nomination(request, payload: NominationIn):
    """Nominate an officer to a position of a call (a coordinator of the officer's pool), or express
    your own interest (the officer's own id): before the national pre-deadline of an open call."""
    call_position = get_object_or_404(CallPosition.objects.visible_to(request.user).with_related(),
                                      pk=payload.call_position)
    own = Officer.objects.filter(user=request.user, pk=payload.officer).first()
    if own is not None and access.can_express_interest(request.user, own):
        form = InterestForm(data={"motivation": payload.motivation})
        if not form.is_valid():
            raise form_errors(form)
        nomination = services.express_interest(actor=request.user, call_position=call_position, officer=own,
                                               **form.cleaned_data)
    else:
        if not access.can_create_calls(request.user):
            raise PermissionDenied("Only coordinators nominate officers.")
        form = NominationForm(data=payload.dict(exclude={"call_position"}), user=request.user,
                              call=call_position.call)
        if not form.is_valid():
            raise form_errors(form)
        nomination = services.nominate(actor=request.user, call_position=call_position, **form.cleaned_data)
    return Status(201, nomination_out(Nomination.objects.with_related().get(pk=nomination.pk)))


@router.post("/teams", response={201: TeamOut, **error_responses(400, 401, 403, 404)})
def create_team(request, payload: TeamIn):
    """Nominate a specialised team as one package to a position of a call with enough posts: its
    members (each nomination awaits its release), its leader among them, its equipment list."""
    call_position = get_object_or_404(CallPosition.objects.visible_to(request.user).with_related(),
                                      pk=payload.call_position)
    if not access.can_create_calls(request.user):
        raise PermissionDenied("Only coordinators nominate officers.")
    form = TeamForm(data=payload.dict(exclude={"call_position"}), user=request.user, call=call_position.call)
    if not form.is_valid():
        raise form_errors(form)
    team = services.nominate_team(actor=request.user, call_position=call_position, **form.cleaned_data)
    nominations = Nomination.objects.with_related().filter(team=team).order_by("id")
    return Status(201, {"id": team.pk, "call_position_id": team.call_position_id, "name": team.name,
                        "leader_id": team.leader_id, "equipment": team.equipment_items,
                        "nominations": [nomination_out(n) for n in nominations]})


@router.get("/nominations/{nomination_id}", response={200: NominationOut, **error_responses(400, 401, 404)})
def get_nomination(request, nomination_id: IdPath):
    nomination = get_object_or_404(_nominations(request.user), pk=nomination_id)
    record_list(actor=request.user, object_type="selection.nomination", ids=[nomination.pk],
                fields=[k for k in NominationOut.model_fields if k != "id"],
                detail={"officer_ids": [nomination.officer_id]})
    return nomination_out(nomination)


@router.post("/nominations/{nomination_id}/release", response={200: NominationOut,
                                                              **error_responses(400, 401, 403, 404)})
def decide_release(request, nomination_id: IdPath, payload: ReleaseIn):
    """The line manager's decision: `release`, or `refuse` with a reason."""
    nomination = get_object_or_404(_nominations(request.user), pk=nomination_id)
    if not access.can_decide_release(request.user, nomination):
        raise PermissionDenied("Only the officer's line manager (HR of their pool) releases them.")
    form = ReleaseForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    move = services.release if form.cleaned_data["decision"] == "release" else services.refuse_release
    return nomination_out(move(actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"]))


@router.post("/nominations/{nomination_id}/outcome", response={201: DecisionOut,
                                                              **error_responses(400, 401, 403, 404)})
def propose_outcome(request, nomination_id: IdPath, payload: OutcomeIn):
    """Propose the outcome: selected (with the planned secondment's start), reserve or not selected,
    with feedback the nominee reads, and a justification when it departs from the ranked order or the
    latest optimal assignment. Another coordinator approves it (`/decisions/{id}/review`)."""
    nomination = get_object_or_404(_nominations(request.user), pk=nomination_id)
    if not access.can_propose_decision(request.user, nomination):
        raise PermissionDenied("You may not decide on this nomination.")
    form = OutcomeForm(data={k: v for k, v in payload.dict().items() if v is not None})
    if not form.is_valid():
        raise form_errors(form)
    decision = services.propose_decision(actor=request.user, nomination=nomination, **form.cleaned_data)
    return Status(201, decision_out(Decision.objects.with_related().get(pk=decision.pk)))


def decision_out(d: Decision) -> dict:
    return {"id": d.pk, "nomination_id": d.nomination_id, "call_id": d.nomination.call_position.call_id,
            "officer_id": d.nomination.officer_id, "officer": d.nomination.officer.full_name, "outcome": d.outcome, "feedback": d.feedback,
            "start_date": d.start_date, "end_date": d.end_date, "justification": d.justification,
            "departures": list(d.departures), "assignment_run_id": d.assignment_run_id, "status": d.status,
            "proposed_by": d.proposed_by.get_username() if d.proposed_by else None, "proposed_at": d.proposed_at,
            "decided_by": d.decided_by.get_username() if d.decided_by else None, "decided_at": d.decided_at,
            "decision_reason": d.decision_reason}


@router.get("/calls/{call_id}/decisions", response={200: list[DecisionOut], **error_responses(400, 401, 403, 404)})
def list_decisions(request, call_id: IdPath):
    """The decisions on the call's nominees you see (the call's coordinators), latest first."""
    call = get_object_or_404(visible_calls(request.user), pk=call_id)
    if not access.can_manage_call(request.user, call):
        raise PermissionDenied("You may not change this call.")
    rows = list(Decision.objects.visible_to(request.user).filter(nomination__call_position__call=call)
                .with_related().order_by("-proposed_at", "-id"))
    if rows:
        record_list(actor=request.user, object_type="selection.decision", ids=[d.pk for d in rows],
                    fields=["officer", "outcome", "feedback", "justification"],
                    detail={"call_id": call.pk, "officer_ids": sorted({d.nomination.officer_id for d in rows})})
    return [decision_out(d) for d in rows]


@router.post("/decisions/{decision_id}/review", response={200: DecisionOut, **error_responses(400, 401, 403, 404)})
def review_decision(request, decision_id: IdPath, payload: DecisionReviewIn):
    """Approve a proposed decision (the outcome is recorded), or reject it with a reason: a coordinator
    of the officer's pool or a national one who neither proposed the decision nor nominated the
    candidate."""
    decision = get_object_or_404(Decision.objects.visible_to(request.user).with_related(), pk=decision_id)
    if not access.can_decide_outcome(request.user, decision.nomination):
        raise PermissionDenied("You may not decide on this nomination.")
    form = DecisionReviewForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    if form.cleaned_data["decision"] == "approve":
        services.approve_decision(actor=request.user, decision=decision)
    else:
        services.reject_decision(actor=request.user, decision=decision, reason=form.cleaned_data["reason"])
    return decision_out(Decision.objects.with_related().get(pk=decision.pk))


