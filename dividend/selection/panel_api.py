"""The selection API's panel and assignment runs: the panel's anonymised candidates and blind scores,
the optimal assignment of a whole call, and the selection analytics. Same forms and workflows as the
web pages; mounted with the calls under /api/selection (dividend/api.py)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from dividend.audit.services import record_list
from dividend.common.api import (
    IdPath,
    Text,
    error_responses,
    form_errors,
)

from . import access, panel, services
from .analytics import selection_analytics
from .api import visible_calls
from .forms import (
    AssignmentForm,
    PanelScoreForm,
)
from .models import (
    AssignmentRun,
    Call,
    Nomination,
    PanelScore,
)

router = Router(tags=["selection"])


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


# --- The panel -----------------------------------------------------------------------------------

def _panel_call(request, call_id):
    call = get_object_or_404(visible_calls(request.user), pk=call_id)
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
    call = get_object_or_404(visible_calls(request.user), pk=call_id)
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


