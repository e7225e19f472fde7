"""The selection API's eligibility and ranking: rule sets per organisation (versions), a call's ranking
criteria and their lock, a position's ranked candidates with each rule's outcome and score part.
Mounted with the calls under /api/selection (dividend/api.py)."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from dividend.audit.services import record_list
from dividend.common.api import (
    ApiError,
    IdPath,
    IsoDate,
    Text,
    error_responses,
    form_errors,
)

from . import access, candidates, criteria
from .api import visible_calls
from .criteria import rule_set_problems
from .forms import (
    RuleSetForm,
)
from .models import (
    Call,
    CallPosition,
    EligibilityRuleSet,
    criteria_of,
)

router = Router(tags=["selection"])


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
    call = get_object_or_404(visible_calls(user), pk=call_id)
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


