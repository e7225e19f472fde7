"""The selection API: calls, their positions and nominations. Input goes through the same forms as
the web pages and the same workflows (services.py); errors answer with the contract's body."""

import datetime as dt
import json
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from dividend.audit.services import record_list
from dividend.common.api import (
    ApiError,
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

from . import access, candidates, criteria, panel, services
from .analytics import selection_analytics
from .criteria import rule_set_problems
from .forms import (
    AssignmentForm,
    CallForm,
    CallPositionForm,
    CallStatusForm,
    DecisionReviewForm,
    InterestForm,
    NominationForm,
    OutcomeForm,
    PanelScoreForm,
    ReleaseForm,
    RelevanceWeightsForm,
    RuleSetForm,
    TeamForm,
)
from .models import (
    AssignmentRun,
    Call,
    CallPosition,
    Decision,
    EligibilityRuleSet,
    Nomination,
    PanelScore,
    criteria_of,
)
from .relevance import PARTS, SORTS, relevance_for, strategic_call_positions, weights_in_force

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


class PanelScoreIn(Schema):
    score: Annotated[int, Field(description="A whole number from 0 to 100")]
    comment: Text(2000) = ""


class PanelScoreOut(Schema):
    id: int
    nomination_id: int
    member: str
    score: int
    comment: str
    submitted_at: dt.datetime


class QualificationValidity(Schema):
    qualification: str
    valid: bool


class PanelSkillOut(Schema):
    skill: str
    level: int


class PanelLanguageOut(Schema):
    language: str
    level: int | str


class PanelCandidateOut(Schema):
    """A nominee as the panel sees them: a pseudonym stable per call, no name, pool or gender."""

    nomination_id: int
    candidate: str
    label: str
    call_position_id: int
    position: str
    mission: str
    status: str
    skills: list[PanelSkillOut]
    languages: list[PanelLanguageOut]
    country_expertise: list[str]
    thematic_expertise: list[str]
    earlier_missions: int
    mission_months: int
    service_years: int | None
    qualifications: list[QualificationValidity]
    own_score: PanelScoreOut | None
    scores_visible: bool
    score_count: int
    scores: list[PanelScoreOut] | None
    mean: float | None


class AssignmentIn(Schema):
    score_source: Annotated[Text(10), Field(description="ranking or panel")] = "ranking"
    fill_all: bool = False
    pool_max: Annotated[dict[Text(40), Annotated[int, Field(ge=0, le=1000)]], Field(
        max_length=100, description="Pool code -> at most so many officers of that pool")] = {}
    min_women_percent: Annotated[int, Field(ge=0, le=100)] | None = None
    women_mode: Annotated[Text(4), Field(description="hard or soft")] = "hard"
    women_penalty: Annotated[float, Field(ge=0, le=1000)] = 0
    preferences: Annotated[Text(5), Field(description="none, only or bonus")] = "none"
    preference_bonus: Annotated[float, Field(ge=0, le=100)] = 0


class RunParametersOut(Schema):
    """As the run was asked for; a parameter a run was stored without has its default."""

    score_source: str = "ranking"
    fill_all: bool = False
    pool_max: dict[str, int] = {}
    min_women_share: float | None = None
    women_mode: str = "hard"
    women_penalty: float = 0
    preferences: str = "none"
    preference_bonus: float = 0


class RunPairOut(Schema):
    nomination: int
    candidate: str
    call_position: int
    post: int
    score: float


class RunCheckOut(Schema):
    key: str
    met: bool
    detail: dict[str, int | float | bool | str | None]


class RunReasonOut(Schema):
    code: str
    params: dict[str, int | float | str | list[str] | list[int] | None]


class RunResultOut(Schema):
    """One solver's answer: pairs by nomination and pseudonym (no officer id), constraints checked."""

    status: str
    method: str
    pairs: list[RunPairOut]
    total_score: float
    objective: float
    bound: float | None
    gap: float | None
    checks: list[RunCheckOut]
    constraints_met: bool
    infeasible_keys: list[str]
    infeasibility: list[RunReasonOut]
    seconds: float


class RunOutcomeOut(Schema):
    optimal: RunResultOut | None = None
    greedy: RunResultOut | None = None
    costs: dict[str, float | None] = {}
    candidates: int | None = None
    posts: int | None = None
    eligible_pairs: int | None = None


class AssignmentRunOut(Schema):
    id: int
    call_id: int
    created_by: str | None
    created_at: dt.datetime
    parameters: RunParametersOut
    status: str
    total_score: float | None
    result: RunOutcomeOut


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


def _calls(user):
    return Call.objects.visible_to(user).prefetch_related("pools", "positions")


@router.get("/calls", response={200: CallPage, **error_responses(400, 401)})
def list_calls(request, filters: Query[CallFilters]):
    """Calls you may see, soonest national pre-deadline first."""
    calls = _calls(request.user)
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
    return Status(201, call_out(_calls(request.user).get(pk=call.pk)))


@router.get("/calls/{call_id}", response={200: CallOut, **error_responses(400, 401, 404)})
def get_call(request, call_id: IdPath):
    return call_out(get_object_or_404(_calls(request.user), pk=call_id))


@router.post("/calls/{call_id}/status", response={200: CallOut, **error_responses(400, 401, 403, 404)})
def set_call_status(request, call_id: IdPath, payload: CallStatusIn):
    """Move the call on (draft → open → national selection → nominations sent → closed)."""
    call = get_object_or_404(_calls(request.user), pk=call_id)
    if not access.can_manage_call(request.user, call):
        raise PermissionDenied("You may not change this call.")
    form = CallStatusForm(data=payload.dict(), call=call)
    if not form.is_valid():
        raise form_errors(form)
    services.change_call_status(actor=request.user, call=call, **form.cleaned_data)
    return call_out(_calls(request.user).get(pk=call.pk))


@router.get("/calls/{call_id}/positions", response={200: list[CallPositionOut], **error_responses(400, 401, 404)})
def list_call_positions(request, call_id: IdPath):
    call = get_object_or_404(_calls(request.user), pk=call_id)
    return [call_position_out(cp) for cp in call.positions.with_related()]


@router.post("/calls/{call_id}/positions", response={201: CallPositionOut, **error_responses(400, 401, 403, 404)})
def add_call_position(request, call_id: IdPath, payload: CallPositionIn):
    """Offer a position: an existing one (`position`) or a new one on a mission (`mission` with a
    `job_description` and/or a `title`)."""
    call = get_object_or_404(_calls(request.user), pk=call_id)
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
    call = get_object_or_404(_calls(request.user), pk=call_id)
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


# --- The panel -----------------------------------------------------------------------------------

def _panel_call(request, call_id):
    call = get_object_or_404(_calls(request.user), pk=call_id)
    if not access.can_see_panel(request.user, call):
        raise PermissionDenied("The panel's pages are for the call's panel and coordinators.")
    return call


@router.get("/calls/{call_id}/panel", response={200: list[PanelCandidateOut], **error_responses(400, 401, 403, 404)})
def panel_candidates(request, call_id: IdPath):
    """The call's nominees as the panel sees them: anonymised summaries (a pseudonym per call; no
    name, pool, gender or service number) with the scores the blind rule lets you read."""
    call = _panel_call(request, call_id)
    summaries = panel.panel_summaries(call, viewer=request.user,
                                      sees_all=not access.is_panel_member(request.user, call))
    if summaries:
        record_list(actor=request.user, object_type="selection.nomination", ids=[s.nomination_id for s in summaries],
                    fields=panel.PANEL_FIELDS, detail={"call_id": call.pk, "anonymised": True})
    return [s.as_dict() for s in summaries]


@router.get("/calls/{call_id}/panel-scores", response={200: list[PanelScoreOut],
                                                       **error_responses(400, 401, 403, 404)})
def list_panel_scores(request, call_id: IdPath):
    """The panel's scores on the call that you may read: a member reads the others' scores on a
    nominee only once they have submitted their own; the call's coordinators read them all."""
    call = _panel_call(request, call_id)
    scores = panel.visible_scores(call, viewer=request.user, sees_all=not access.is_panel_member(request.user, call))
    return [panel.score_dict(s) for s in scores]


@router.post("/nominations/{nomination_id}/panel-score", response={201: PanelScoreOut,
                                                                    **error_responses(400, 401, 403, 404)})
def submit_panel_score(request, nomination_id: IdPath, payload: PanelScoreIn):
    """Score a nominee of a call whose panel you sit on: 0 to 100 and a comment; final once submitted."""
    nomination = get_object_or_404(Nomination.objects.filter(
        call_position__call__in=Call.objects.visible_to(request.user)).select_related("call_position__call"),
        pk=nomination_id)
    if not access.can_score(request.user, nomination.call_position.call):
        raise PermissionDenied("Only the call's panel members score its nominees.")
    form = PanelScoreForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    score = services.submit_panel_score(actor=request.user, nomination=nomination, **form.cleaned_data)
    return Status(201, panel.score_dict(PanelScore.objects.select_related("member").get(pk=score.pk)))


# --- Assignment runs -----------------------------------------------------------------------------

def run_out(run: AssignmentRun) -> dict:
    result = {**run.result}
    for side in ("optimal", "greedy"):  # nominations and pseudonyms, not officer ids
        if side in result:
            result[side] = {**result[side], "pairs": [{k: v for k, v in p.items() if k != "officer_id"}
                                                      for p in result[side]["pairs"]]}
    return {"id": run.pk, "call_id": run.call_id, "created_by": run.created_by.get_username() if run.created_by else None,
            "created_at": run.created_at, "parameters": run.parameters, "status": run.status,
            "total_score": run.total_score, "result": result}


@router.post("/calls/{call_id}/assignment-runs", response={201: AssignmentRunOut,
                                                           **error_responses(400, 401, 403, 404)})
def create_assignment_run(request, call_id: IdPath, payload: AssignmentIn):
    """Run the optimal assignment of the call's nominees to its posts (beside the greedy baseline,
    with each constraint's cost) and store it. Infeasible constraints give a run whose result names
    them (`result.optimal.infeasible_keys`, `infeasibility`)."""
    call = get_object_or_404(_calls(request.user), pk=call_id)
    if not access.can_run_assignment(request.user, call):
        raise PermissionDenied("You may not run the assignment of this call.")
    data = payload.dict()
    pool_max = data.pop("pool_max") or {}
    form = AssignmentForm(data={**{k: v for k, v in data.items() if v is not None and v is not False},
                                **{f"pool_{code}": v for code, v in pool_max.items()}}, call=call)
    if not form.is_valid():
        raise form_errors(form)
    unknown = sorted(set(pool_max) - {code for code, _ in form.pool_fields})
    if unknown:
        raise ValidationError({"pool_max": [f"Not a pool of the call: {', '.join(unknown)}"]})
    run = services.run_assignment(actor=request.user, call=call, parameters=form.parameters())
    return Status(201, run_out(AssignmentRun.objects.select_related("created_by").get(pk=run.pk)))


@router.get("/assignment-runs/{run_id}", response={200: AssignmentRunOut, **error_responses(400, 401, 403, 404)})
def get_assignment_run(request, run_id: IdPath):
    run = get_object_or_404(AssignmentRun.objects.filter(call__in=Call.objects.visible_to(request.user))
                            .select_related("created_by", "call"), pk=run_id)
    if not access.can_run_assignment(request.user, run.call):
        raise PermissionDenied("You may not run the assignment of this call.")
    return run_out(run)


# --- Analytics (analytics.py) ---------------------------------------------------------------------

class AnalyticsGroupOut(Schema):
    key: str
    label: str
    nominations: int
    with_outcome: int = Field(description="Selected, reserve or not selected.")
    selected: int
    success_rate: float | None = Field(description="Selected ÷ with an outcome, in percent (null before any "
                                                   "outcome).")
    median_days_from_call: float | None = Field(description="From the call's publication to the nomination.")
    first_days_from_call: int | None
    release_decisions: int = Field(description="Released, refused or approved without release.")
    refused: int
    refusal_share: float | None = Field(description="Refused ÷ release decisions, in percent.")
    median_release_days: float | None = Field(description="From the nomination to the release decision.")
    awaiting_release: int


class AnalyticsCallOut(Schema):
    call_id: int
    reference: str
    title: str
    organisation: str
    published_on: dt.date
    figures: AnalyticsGroupOut


class AnalyticsOut(Schema):
    count: int = Field(description="The nominations counted: those you may see.")
    total: AnalyticsGroupOut
    by_pool: list[AnalyticsGroupOut]
    by_gender: list[AnalyticsGroupOut]
    by_organisation: list[AnalyticsGroupOut]
    by_year: list[AnalyticsGroupOut]
    by_call: list[AnalyticsCallOut]


def _group_out(g) -> dict:
    return {name: getattr(g, name) for name in AnalyticsGroupOut.model_fields}


@router.get("/analytics", response={200: AnalyticsOut, **error_responses(401, 403)})
def get_analytics(request):
    """Nominations and success rate by pool, gender, organisation and year; days from a call's
    publication to each nomination (median, per call); release refusals (count, share, median days to
    the decision). Counted over the nominations you may see (docs/selection.md, "Analytics")."""
    if not access.can_see_selection_analytics(request.user):
        raise PermissionDenied("The selection's figures are for coordinators, line managers, policy officers, "
                               "analysts, administrators and auditors.")
    figures = selection_analytics(request.user)
    out = {"count": figures.total.nominations, "total": _group_out(figures.total),
           "by_call": [{"call_id": c.call_id, "reference": c.reference, "title": c.title,
                        "organisation": c.organisation, "published_on": c.published_on,
                        "figures": _group_out(c.figures)} for c in figures.calls]}
    for key, _title, groups in figures.breakdowns:
        out[f"by_{key}"] = [_group_out(g) for g in groups]
    return out


# --------------------------------------------------------------------------- eligibility and ranking
# Rule sets (versions; a new one for administrators), a call's ranking criteria (refused after their
# lock: 409) and a position's ranking with each rule's outcome and each score part (candidates.py).

class RuleWhen(Schema):
    model_config = ConfigDict(extra="forbid")
    armed: bool


class RuleData(Schema):
    """One rule: `id`, `kind` and the fields of its kind (docs/selection.md, "Rule sets as data")."""
    model_config = ConfigDict(extra="forbid")
    id: Text(40)
    kind: Text(40) = Field(..., description="qualification, restricted, service_years, language, skill, age, "
                                       "certificate, no_misconduct or position_requirements")
    when: RuleWhen | None = None
    label: Text(300) | None = None
    qualification: Text(60) | None = None
    level: Text(40) | None = None
    months_after: int | None = None
    through_end: bool | None = None
    min_years: int | None = None
    any_of: list[Text(60)] | None = None
    min_level: int | Text(2) | None = Field(None, description="CEFR level (A1-C2) for a language rule, 1-4 for a skill")
    skill: Text(60) | None = None
    min: int | None = None
    max: int | None = None
    certificate: Text(60) | None = None
    check: list[Text(20)] | None = None


class RuleSetData(Schema):
    model_config = ConfigDict(extra="forbid")
    format: int
    organisation: Text(12) = Field(..., description="un, eu or osce")
    name: Text(200)
    source: Text(2000) = ""
    rules: list[RuleData]


class RuleSetOut(Schema):
    id: int
    organisation: str
    version: int
    name: str
    note: str
    created_by: str | None
    created_at: dt.datetime
    current: bool


class RuleSetDetail(RuleSetOut):
    data: RuleSetData


class RuleSetFilters(Schema):
    organisation: Text(12) | None = Field(None, description="eu_csdp, un or osce")


class RuleSetIn(Schema):
    organisation: Text(12)
    data: RuleSetData = Field(..., description="The rule set as data (docs/selection.md, \"Rule sets as data\").")
    note: Text(300) = ""


def _rule_set_out(rule_set, current_ids, *, detail=False) -> dict:
    out = {"id": rule_set.pk, "organisation": rule_set.organisation, "version": rule_set.version,
           "name": rule_set.name, "note": rule_set.note,
           "created_by": rule_set.created_by.get_username() if rule_set.created_by else None,
           "created_at": rule_set.created_at, "current": rule_set.pk in current_ids}
    if detail:
        out["data"] = rule_set.data
    return out


def _rule_sets(user):
    if not access.can_see_rule_sets(user):
        raise PermissionDenied("Your role does not work with eligibility rules.")
    return EligibilityRuleSet.objects.visible_to(user).select_related("created_by")


@router.get("/rule-sets", response={200: list[RuleSetOut], **error_responses(400, 401, 403)})
def list_rule_sets(request, organisation: Query[RuleSetFilters]):
    """Every version of every organisation's eligibility rules (the latest of each applies: `current`)."""
    rule_sets = _rule_sets(request.user)
    if organisation.organisation:
        rule_sets = rule_sets.filter(organisation=organisation.organisation)
    rows = list(rule_sets)
    current = {r.pk for r in EligibilityRuleSet.objects.current().values()}
    return [_rule_set_out(r, current) for r in rows]


@router.get("/rule-sets/{rule_set_id}", response={200: RuleSetDetail, **error_responses(400, 401, 403, 404)})
def get_rule_set(request, rule_set_id: IdPath):
    rule_set = get_object_or_404(_rule_sets(request.user), pk=rule_set_id)
    current = {r.pk for r in EligibilityRuleSet.objects.current().values()}
    return _rule_set_out(rule_set, current, detail=True)


@router.post("/rule-sets", response={201: RuleSetDetail, **error_responses(400, 401, 403)})
def create_rule_set(request, payload: RuleSetIn):
    """A new version of an organisation's rules (national administrators). Every problem of the data
    is listed in `problems`, each with its path; nothing is saved until there is none."""
    if not access.can_edit_rule_sets(request.user):
        raise PermissionDenied("Only national administrators change eligibility rules.")
    data = payload.data.model_dump(exclude_none=True)
    form = RuleSetForm(data={"organisation": payload.organisation, "rules": json.dumps(data),
                             "note": payload.note}, user=request.user)
    if not form.is_valid():
        if "organisation" in form.errors:
            raise form_errors(form)
        found = rule_set_problems(payload.organisation, data)
        if found:
            raise ApiError(400, f"The rule set has {len(found)} problem(s).",
                           problems=[{"path": p.path, "line": None, "message": p.message} for p in found])
        raise form_errors(form)
    rule_set = criteria.save_rule_set(actor=request.user, organisation=form.cleaned_data["organisation"],
                                      data=form.cleaned_data["rules"], note=form.cleaned_data["note"])
    current = {r.pk for r in EligibilityRuleSet.objects.current().values()}
    return Status(201, _rule_set_out(EligibilityRuleSet.objects.select_related("created_by").get(pk=rule_set.pk),
                                     current, detail=True))


class PartWeights(Schema):
    """A weight per score part, 0 to 1000 (0 leaves the part out)."""
    model_config = ConfigDict(extra="forbid")
    skills: float
    languages: float
    country_experience: float
    thematic_experience: float
    missions: float
    validity_margin: float


class WeightSettings(Schema):
    model_config = ConfigDict(extra="forbid")
    missions_full_at: int = 3
    margin_full_at_months: int = 12
    margin_qualifications: list[Text(60)] = []


class WeightsData(Schema):
    model_config = ConfigDict(extra="forbid")
    format: int = 1
    weights: PartWeights
    settings: WeightSettings = WeightSettings()


class CriteriaOut(Schema):
    call: int
    weights: WeightsData
    deployment_date: dt.date | None = Field(None, description="As set; null: the organisation's deadline + 60 days.")
    effective_deployment_date: dt.date
    locked: bool
    locked_at: dt.datetime | None
    lock_reason: str = Field(..., description="\"locked\" (the action), \"deadline\" (the national pre-deadline "
                                              "has come) or \"\" (not locked).")


class CriteriaIn(Schema):
    weights: WeightsData = Field(..., description="Engine weights (docs/selection.md, \"Scoring\").")
    deployment_date: IsoDate | None = None


def _criteria_out(call) -> dict:
    crit = criteria_of(call)
    today = timezone.localdate()
    return {"call": call.pk, "weights": crit.weights, "deployment_date": crit.deployment_date,
            "effective_deployment_date": crit.effective_deployment_date, "locked": crit.is_locked(today),
            "locked_at": crit.locked_at, "lock_reason": crit.lock_reason(today)}


def _ranking_call(user, call_id):
    call = get_object_or_404(_calls(user), pk=call_id)
    if not access.can_see_ranking(user, call):
        raise PermissionDenied("Your role does not see the ranking of this call.")
    return call


@router.get("/calls/{call_id}/criteria", response={200: CriteriaOut, **error_responses(400, 401, 403, 404)})
def get_criteria(request, call_id: IdPath):
    return _criteria_out(_ranking_call(request.user, call_id))


@router.put("/calls/{call_id}/criteria", response={200: CriteriaOut, **error_responses(400, 401, 403, 404, 409)})
def put_criteria(request, call_id: IdPath, payload: CriteriaIn):
    """Set the call's weights and planned deployment date (its coordinators). Refused with 409 once the
    criteria are locked (the lock action, or the national pre-deadline has come)."""
    call = _ranking_call(request.user, call_id)
    if not access.can_set_criteria(request.user, call):
        raise PermissionDenied("You may not set the criteria of this call.")
    try:
        criteria.set_call_criteria(actor=request.user, call=call, weights=payload.weights.model_dump(),
                                   deployment_date=payload.deployment_date)
    except criteria.CriteriaLocked as error:
        raise ApiError(409, " ".join(error.messages)) from error
    return _criteria_out(Call.objects.get(pk=call.pk))


@router.post("/calls/{call_id}/criteria/lock", response={200: CriteriaOut, **error_responses(400, 401, 403, 404, 409)})
def lock_criteria(request, call_id: IdPath):
    """Lock the call's ranking criteria (its coordinators); 409 if they already are."""
    call = _ranking_call(request.user, call_id)
    try:
        criteria.lock_call_criteria(actor=request.user, call=call)
    except criteria.CriteriaLocked as error:
        raise ApiError(409, " ".join(error.messages)) from error
    return _criteria_out(Call.objects.get(pk=call.pk))


class RuleOutcomeOut(Schema):
    rule: str
    kind: str
    label: str
    status: str = Field(..., description="met, not_met or not_applicable")
    reasons: list[str]


class ScorePartOut(Schema):
    part: str
    weight: float
    value: float
    points: float
    reasons: list[str]


class RankedOut(Schema):
    nomination: int
    officer: int
    name: str
    pool: str
    status: str
    rank: int | None
    eligible: bool
    score: float
    rules: list[RuleOutcomeOut]
    parts: list[ScorePartOut]


class RankingOut(Schema):
    call_position: int
    deployment_date: dt.date
    rule_set: str
    criteria_locked: bool
    items: list[RankedOut]


@router.get("/call-positions/{call_position_id}/ranking",
            response={200: RankingOut, **error_responses(400, 401, 403, 404)})
def position_ranking(request, call_position_id: IdPath):
    """A position's candidates ranked: eligible first by score, each rule's outcome with its reasons
    (restricted qualifications only as "valid on <date>: yes/no") and each part of the score."""
    cp = get_object_or_404(CallPosition.objects.visible_to(request.user).with_related(), pk=call_position_id)
    _ranking_call(request.user, cp.call_id)
    result = candidates.position_ranking(cp, viewer=request.user)
    ranked = result.ranked
    if ranked:
        record_list(actor=request.user, object_type="selection.nomination", ids=[r.nomination.pk for r in ranked],
                    fields=["officer", "pool", "eligibility", "score"],
                    detail={"officer_ids": sorted({r.nomination.officer_id for r in ranked}), "call_id": cp.call_id,
                            "call_position_id": cp.pk})
    return {"call_position": cp.pk, "deployment_date": result.position.deployment_date,
            "rule_set": result.rule_set.name, "criteria_locked": result.criteria.is_locked(timezone.localdate()),
            "items": [{"nomination": r.nomination.pk, "officer": r.nomination.officer_id,
                       "name": r.nomination.officer.full_name, "pool": r.nomination.officer.pool.code,
                       "status": r.nomination.status, "rank": r.rank, "eligible": r.eligible, "score": r.total,
                       "rules": [{"rule": o.rule_id, "kind": o.kind, "label": o.label, "status": o.status,
                                  "reasons": list(o.reasons)} for o in r.rules],
                       "parts": [{"part": p.part, "weight": p.weight, "value": p.value, "points": p.points,
                                  "reasons": list(p.reasons)} for p in r.parts]} for r in ranked]}


# --- Strategic positions (docs/selection.md, "Strategic positions") ------------------------------

class HostCountryOut(Schema):
    iso3: str
    name: str
    rank: int | None
    score: float | None
    relative: float | None


class ThemeOut(Schema):
    code: str
    name: str
    weight: float


class RelevancePartOut(Schema):
    part: str
    label: str
    weight: float
    value: float | None = Field(description="0–1; null: left out of the total (see note)")
    points: float | None = Field(description="The part's share of the total (out of 100)")
    counted: bool
    note: str
    countries: list[HostCountryOut] = []
    themes: list[ThemeOut] = []
    set_by: str = ""
    set_at: dt.datetime | None = None


class PositionRelevanceOut(Schema):
    position_id: int
    total: float
    ranking_adopted: bool
    ranking_message: str
    weights_source: str
    themes_source: str
    burden: int | None
    burden_label: str
    burden_meaning: str
    strategic: bool
    parts: list[RelevancePartOut]


class StrategicOut(Schema):
    call_position_id: int
    call_id: int
    call_reference: str
    national_deadline: dt.date
    mission: str
    title: str
    relevance: PositionRelevanceOut


class StrategicPage(Page):
    items: list[StrategicOut]


class StrategicFilters(Schema):
    sort: Annotated[Text(10), Field(description="relevance, deadline, burden or -burden")] = "relevance"
    limit: Limit = 50
    offset: Offset = 0


class RelevanceWeightsOut(Schema):
    weights: dict[str, float]
    default: bool = Field(description="true: no policy officer has set them yet")
    reason: str
    set_by: str
    set_at: dt.datetime | None


class RelevanceWeightsIn(Schema):
    weights: dict[Text(40), float] = Field(description="Every part: " + ", ".join(PARTS) + "; 0–1000 each")
    reason: Text(2000)


def relevance_out(relevance) -> dict:
    parts = []
    for p in relevance.parts:
        row = {"part": p.part, "label": str(p.label), "weight": p.weight, "value": p.value, "points": p.points,
               "counted": p.counted, "note": p.note, "set_by": p.set_by, "set_at": p.set_at}
        if p.part == "country":
            row["countries"] = [c.__dict__ for c in p.detail]
        elif p.part in ("mission_themes", "position_themes"):
            row["themes"] = [t.__dict__ for t in p.detail]
        parts.append(row)
    return {"position_id": relevance.extra.get("position_id"), "total": relevance.total,
            "ranking_adopted": relevance.ranking_adopted,
            "ranking_message": relevance.ranking_message, "weights_source": relevance.weights_source,
            "themes_source": relevance.themes_source, "burden": relevance.burden,
            "burden_label": str(relevance.burden_label), "burden_meaning": relevance.burden_meaning,
            "strategic": relevance.strategic, "parts": parts}


def _weights_out() -> dict:
    weights, row = weights_in_force()
    return {"weights": weights, "default": row is None, "reason": row.reason if row else "",
            "set_by": row.set_by.get_username() if row and row.set_by else "", "set_at": row.set_at if row else None}


@router.get("/call-positions/{call_position_id}/relevance",
            response={200: PositionRelevanceOut, **error_responses(400, 401, 403, 404)})
def get_relevance(request, call_position_id: IdPath):
    """A call position's relevance to national priorities: every part with its weight, value (0–1)
    and points; when no ranking is adopted the country part is left out and says so."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied("You have no role that works with calls for contributions.")
    cp = get_object_or_404(CallPosition.objects.visible_to(request.user), pk=call_position_id)
    return relevance_out(relevance_for([cp.position_id])[cp.position_id])


@router.get("/strategic", response={200: StrategicPage, **error_responses(400, 401, 403)})
def list_strategic(request, filters: Query[StrategicFilters]):
    """The positions of open calls you see, most strategic first (or by `sort`)."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied("You have no role that works with calls for contributions.")
    if filters.sort not in SORTS:
        raise ValidationError({"sort": [f"sort must be one of {', '.join(SORTS)}."]})
    rows = strategic_call_positions(request.user, filters.sort)  # a list, sorted by derived relevance
    count, items = len(rows), rows[filters.offset:filters.offset + filters.limit]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [
        {"call_position_id": cp.pk, "call_id": cp.call_id, "call_reference": cp.call.reference,
         "national_deadline": cp.call.national_deadline, "mission": cp.position.mission.acronym,
         "title": cp.position.title, "relevance": relevance_out(relevance)} for cp, relevance in items]}


@router.get("/relevance-weights", response={200: RelevanceWeightsOut, **error_responses(400, 401, 403)})
def get_relevance_weights(request):
    """The weights of the relevance parts in force."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied("You have no role that works with calls for contributions.")
    return _weights_out()


@router.put("/relevance-weights", response={200: RelevanceWeightsOut, **error_responses(400, 401, 403)})
def put_relevance_weights(request, payload: RelevanceWeightsIn):
    """Set the weights (a national policy officer): every part, 0–1000, at least one above 0, with a
    reason. Audited; the earlier weights stay as history."""
    if not access.can_set_relevance(request.user):
        raise PermissionDenied("Only a national policy officer sets the weights of relevance.")
    unknown = sorted(set(payload.weights) - set(PARTS))
    form = RelevanceWeightsForm(data={**payload.weights, "reason": payload.reason})
    if unknown or not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()} if not form.is_valid() else {}
        for name in unknown:
            errors[name] = [f"Unknown part (the parts: {', '.join(PARTS)})."]
        raise ValidationError(errors)
    services.set_relevance_weights(actor=request.user, weights=form.weights(), reason=form.cleaned_data["reason"])
    return _weights_out()
