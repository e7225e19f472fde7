"""The mission performance API: the missions the country contributes to with their figures, one
mission's indicators, values and contributions, the border-management progress; recording an
indicator, a value, a contribution and an assessment. Input goes through the same forms and
workflows as the pages. A contribution names its officer only to those who see the officer's
secondment (the roster's rule); everyone else gets the counts."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from dividend.audit.services import record_list
from dividend.common.api import IdFilter, IdPath, IsoDate, Text, error_responses, form_errors

from . import access, services
from .forms import AssessmentForm, ContributionForm, IndicatorForm, ValueForm
from .models import Area, Contribution, Indicator, contributed_missions, is_border_management

router = Router(tags=["performance"])

Number = Annotated[float, Field(ge=-1e12, le=1e12, description="At most 12 digits before the point and 2 after.")]


class AreaProgressOut(Schema):
    area: str
    label: str
    baseline: int | None
    latest: int | None
    change: int | None


class BorderSummaryOut(Schema):
    baseline_on: dt.date
    latest_on: dt.date | None
    areas: list[AreaProgressOut]
    improved: int
    unchanged: int
    worsened: int
    not_reassessed: int


class SummaryOut(Schema):
    mission_id: int
    acronym: str
    contributes: bool
    indicators: int
    retired: int
    by_level: dict[str, int]
    with_values: int
    targets_met: int
    mean_progress: float | None
    latest_period_end: dt.date | None
    contributions: int
    contributing_secondments: int
    border_management: bool
    border: BorderSummaryOut | None


class ValueOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    value: float
    source: str


class ContributionOut(Schema):
    id: int
    secondment_id: int
    officer_id: int
    officer: str
    description: str
    reports: list[int]


class IndicatorOut(Schema):
    id: int
    mission_id: int
    level: str
    text: str
    unit: str
    baseline: float
    baseline_date: dt.date
    target: float
    target_date: dt.date | None
    direction: str
    status: str
    values: list[ValueOut]
    progress: float | None = Field(description="Per cent of the way from the baseline to the target.")
    met: bool | None
    contribution_count: int
    contributions: list[ContributionOut] = Field(description="Only those whose officer you may see.")


class MissionPerformanceOut(Schema):
    summary: SummaryOut
    indicators: list[IndicatorOut]


class IndicatorIn(Schema):
    level: Literal["output", "outcome", "impact"]
    text: Text(300)
    unit: Text(60)
    direction: Literal["increase", "decrease"]
    baseline: Number
    baseline_date: IsoDate
    target: Number
    target_date: IsoDate | None = None


class ValueIn(Schema):
    period_start: IsoDate
    period_end: IsoDate
    value: Number
    source: Text(300) = ""


class ContributionIn(Schema):
    secondment: IdFilter
    description: Text(2000)
    reports: Annotated[list[IdFilter], Field(max_length=50)] = []


class RatingIn(Schema):
    rating: Annotated[int, Field(ge=-99, le=99, description="0 (absent) to 4 (consolidated).")] | None = None
    narrative: Text(4000) = ""
    source: Text(300) = ""


class AssessmentIn(Schema):
    kind: Literal["baseline", "follow_up"]
    assessed_on: IsoDate
    note: Text(4000) = ""
    ratings: Annotated[dict[Text(40), RatingIn], Field(max_length=len(Area.values) + 5, description=(
        "Per area (" + ", ".join(Area.values) + "): the rating, its narrative and source."))]


class AssessmentOut(Schema):
    id: int
    mission_id: int
    kind: str
    assessed_on: dt.date
    note: str
    ratings: dict[str, RatingIn]


def _gate(user):
    if not access.can_read_performance(user):
        raise PermissionDenied("Mission performance is for policy officers, analysts, coordinators, administrators "
                               "and the Ministry liaison.")


def _mission(user, mission_id):
    _gate(user)
    return get_object_or_404(contributed_missions(), pk=mission_id)


def _indicator(user, indicator_id):
    _gate(user)
    return get_object_or_404(Indicator.objects.visible_to(user).select_related("mission"), pk=indicator_id)


def _contribution_out(c) -> dict:
    return {"id": c.pk, "secondment_id": c.secondment_id, "officer_id": c.secondment.officer_id,
            "officer": c.secondment.officer.full_name, "description": c.description,
            "reports": sorted(r.pk for r in c.reports.all())}


def _indicator_out(indicator, *, count=0, named=()) -> dict:
    values = list(indicator.values.all())
    progress = services.indicator_progress(indicator, values)
    return {"id": indicator.pk, "mission_id": indicator.mission_id, "level": indicator.level, "text": indicator.text,
            "unit": indicator.unit, "baseline": float(indicator.baseline), "baseline_date": indicator.baseline_date,
            "target": float(indicator.target), "target_date": indicator.target_date, "direction": indicator.direction,
            "status": indicator.status,
            "values": [{"id": v.pk, "period_start": v.period_start, "period_end": v.period_end,
                        "value": float(v.value), "source": v.source} for v in values],
            "progress": progress.progress, "met": progress.met, "contribution_count": count,
            "contributions": [_contribution_out(c) for c in named]}


@router.get("/missions", response={200: list[SummaryOut], **error_responses(401, 403)})
def list_missions(request):
    """The missions the country contributes to (a secondment took place), each in figures."""
    _gate(request.user)
    return [services.mission_performance_summary(m) for m in contributed_missions().order_by("acronym")]


@router.get("/missions/{mission_id}", response={200: MissionPerformanceOut, **error_responses(400, 401, 403, 404)})
def mission_performance(request, mission_id: IdPath):
    """One mission's figures and indicators with their values and contributions."""
    user = request.user
    mission = _mission(user, mission_id)
    indicators = list(Indicator.objects.filter(mission=mission).prefetch_related("values"))
    counts = dict(Contribution.objects.filter(indicator__mission=mission).values("indicator_id")
                  .annotate(n=Count("id")).values_list("indicator_id", "n"))
    named = list(Contribution.objects.visible_to(user).filter(indicator__mission=mission)
                 .select_related("secondment__officer").prefetch_related("reports"))
    if named:
        record_list(actor=user, object_type="performance.contribution", ids=[c.pk for c in named],
                    fields=["officer", "secondment", "description", "reports"],
                    detail={"mission_id": mission.pk, "officer_ids": sorted({c.secondment.officer_id for c in named})})
    return {"summary": services.mission_performance_summary(mission),
            "indicators": [_indicator_out(i, count=counts.get(i.pk, 0),
                                          named=[c for c in named if c.indicator_id == i.pk]) for i in indicators]}


@router.post("/missions/{mission_id}/indicators", response={201: IndicatorOut, **error_responses(400, 401, 403, 404)})
def create_indicator(request, mission_id: IdPath, payload: IndicatorIn):
    """A new CPAS-style indicator of the mission (policy officers, analysts, administrators)."""
    user = request.user
    mission = _mission(user, mission_id)
    if not access.can_record_performance(user):
        raise PermissionDenied("Indicators are recorded by policy officers, analysts and administrators.")
    data = payload.dict()
    form = IndicatorForm(data={k: ("" if v is None else str(v)) for k, v in data.items()})
    if not form.is_valid():
        raise form_errors(form)
    indicator, _changed = services.save_indicator(actor=user, mission=mission, **form.cleaned_data)
    return Status(201, _indicator_out(indicator))


@router.post("/indicators/{indicator_id}/values", response={201: ValueOut, **error_responses(400, 401, 403, 404)})
def enter_value(request, indicator_id: IdPath, payload: ValueIn):
    """The indicator's value for a period, with its source (required)."""
    user = request.user
    indicator = _indicator(user, indicator_id)
    if not access.can_enter_value(user, indicator):
        raise PermissionDenied("Values are entered by policy officers, analysts and administrators.")
    form = ValueForm(data={k: str(v) for k, v in payload.dict().items()}, indicator=indicator)
    if not form.is_valid():
        raise form_errors(form)
    value, _changed = services.save_value(actor=user, indicator=indicator, **{k: form.cleaned_data[k] for k in (
        "period_start", "period_end", "value", "source")})
    return Status(201, {"id": value.pk, "period_start": value.period_start, "period_end": value.period_end,
                        "value": float(value.value), "source": value.source})


@router.post("/indicators/{indicator_id}/contributions",
             response={201: ContributionOut, **error_responses(400, 401, 403, 404)})
def add_contribution(request, indicator_id: IdPath, payload: ContributionIn):
    """A secondee's contribution to the indicator (coordinators of the officer's pool)."""
    user = request.user
    indicator = _indicator(user, indicator_id)
    if not access.can_add_contributions(user):
        raise PermissionDenied("Contributions are added by the coordinators of the officer's pool.")
    form = ContributionForm(data=payload.dict(), indicator=indicator,
                            secondments=services.contributor_secondments(user))
    if not form.is_valid():
        raise form_errors(form)
    contribution = services.add_contribution(actor=user, indicator=indicator, **form.cleaned_data)
    return Status(201, _contribution_out(contribution))


@router.get("/missions/{mission_id}/border", response={200: BorderSummaryOut | None,
                                                       **error_responses(400, 401, 403, 404)})
def border_progress(request, mission_id: IdPath):
    """A border-management mission's progress against its needs-assessment baseline (null: no baseline yet)."""
    mission = _mission(request.user, mission_id)
    if not is_border_management(mission):
        from django.http import Http404

        raise Http404("Not a border-management mission.")
    return services.mission_performance_summary(mission)["border"]


@router.post("/missions/{mission_id}/assessments", response={201: AssessmentOut, **error_responses(400, 401, 403, 404)})
def record_assessment(request, mission_id: IdPath, payload: AssessmentIn):
    """The needs-assessment baseline of a border-management mission, or a later assessment."""
    user = request.user
    mission = _mission(user, mission_id)
    if not access.can_record_assessment(user, mission):
        raise PermissionDenied("Assessments are recorded by policy officers, analysts and administrators.")
    data = payload.dict()
    form = AssessmentForm.from_api(data | {"assessed_on": data["assessed_on"].isoformat()})
    if not form.is_valid():
        raise form_errors(form)
    assessment, _changed = services.save_assessment(actor=user, mission=mission, **form.values())
    return Status(201, {"id": assessment.pk, "mission_id": mission.pk, "kind": assessment.kind,
                        "assessed_on": assessment.assessed_on, "note": assessment.note,
                        "ratings": {r.area: {"rating": r.rating, "narrative": r.narrative, "source": r.source}
                                    for r in assessment.ratings.all()}})
