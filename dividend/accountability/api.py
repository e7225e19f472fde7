"""The accountability API: the dashboard's figures and the report to parliament's, as JSON. Consolidated
figures only (counts, person-months, shares), no names: a Ministry liaison reads them too. Input goes
through the pages' forms; the dividend scorecard per mission, year and secondment."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema

from dividend.common.api import IdFilter, IdPath, IsoDate, Text, error_responses, form_errors

from . import access, dashboard, parliament
from .forms import DashboardForm, ParliamentForm

router = Router(tags=["accountability"])

Value = str | int | float | None


class DashboardPartOut(Schema):
    key: str = Field(description="organisations, missions, countries, gender, selection, reports, reintegration, "
                                 "qualifications")
    title: str
    empty: str = Field(description="Said instead of figures when there is nothing to count (no figure is invented).")
    headers: list[str]
    rows: list[list[Value]]


class AccountabilityPeriodOut(Schema):
    start: dt.date
    end: dt.date


class DashboardOut(Schema):
    period: AccountabilityPeriodOut
    pool: str | None
    parts: list[DashboardPartOut]


@router.get("/dashboard", response={200: DashboardOut, **error_responses(400, 401, 403)})
def dashboard_figures(request, start: IsoDate | None = None, end: IsoDate | None = None, pool: IdFilter | None = None):
    """The dashboard's figures over the pools your roles cover: `start`/`end` (yyyy-mm-dd; default the last
    twelve months), `pool` (an id; default every pool you cover)."""
    if not access.can_see_dashboard(request.user):
        raise PermissionDenied("The dashboard is for policy officers, coordinators, administrators, auditors and "
                               "the Ministry liaison.")
    data = {k: v for k, v in {"start": start, "end": end, "pool": pool}.items() if v is not None}
    form = DashboardForm(data, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        raise form_errors(form)
    return dashboard.figures_json(form.scope())


class ParliamentTotalsOut(Schema):
    missions: int
    officers: int
    person_months: float
    women: int
    men: int
    other: int
    missions_by_organisation: dict[str, int]


class ParliamentPositionOut(Schema):
    title: str
    officers: int


class ParliamentMissionOut(Schema):
    acronym: str
    name: str
    organisation: str
    host_countries: list[str]
    mandate: list[str]
    thematic_areas: list[str]
    officers: int
    person_months: float
    positions: list[ParliamentPositionOut]
    women: int
    men: int
    other: int
    officers_year_earlier: int
    person_months_year_earlier: float


class ParliamentPeriodOut(AccountabilityPeriodOut):
    label: str


class ParliamentOut(Schema):
    period: ParliamentPeriodOut
    year_earlier: ParliamentPeriodOut
    totals: ParliamentTotalsOut
    totals_year_earlier: ParliamentTotalsOut
    missions: list[ParliamentMissionOut]


@router.get("/parliament-report", response={200: ParliamentOut, **error_responses(400, 401, 403)})
def parliament_report(request, period: Text(40)):
    """The report to parliament's figures for `period`: a quarter (2026Q3), a year (2026) or a range
    (2025Q3..2026Q2); compared with the same period a year earlier."""
    if not access.can_see_parliament_report(request.user):
        raise PermissionDenied("The report to parliament is for the readers of the dashboard.")
    form = ParliamentForm({"period": period})
    if not form.is_valid():
        raise form_errors(form)
    return parliament.as_json(parliament.compute(form.cleaned_data["period"], today=timezone.localdate()))


# --- The dividend scorecard ------------------------------------------------------------------------

class ScorecardPartOut(Schema):
    part: str
    value: float | None = Field(description="0 to 1; null: the part's data does not exist (missing, never filled in).")
    missing: bool
    weight: float
    source: str = Field(description="Where the part comes from.")
    present_in: int | None = Field(description="Consolidated: the secondments where the part is present.")
    of: int | None


class ScorecardGroupOut(Schema):
    mission: int | None = Field(description="Per mission: the mission's id.")
    mission_acronym: str | None
    year: int | None = Field(description="Per year: the year the secondments started.")
    secondments: int
    total: float | None = Field(description="0 to 100 over the parts present, re-normalised; null: no part present.")
    missing: int = Field(description="Parts missing.")
    parts: list[ScorecardPartOut]


class ScorecardOut(Schema):
    model_version: int = Field(description="The weights' version in force (0: the defaults).")
    weights: dict[str, float]
    by_mission: list[ScorecardGroupOut]
    by_year: list[ScorecardGroupOut]


class SecondmentScorecardPartOut(ScorecardPartOut):
    detail: str = Field(description="The figures behind the part, in words.")
    source_url: str


class SecondmentScorecardOut(Schema):
    secondment: int
    mission_acronym: str
    model_version: int
    total: float | None
    missing: int
    parts: list[SecondmentScorecardPartOut]


def _part_out(p) -> dict:
    return {"part": p.part, "value": p.value, "missing": p.missing, "weight": p.weight, "source": str(p.source.text),
            "present_in": p.present_in, "of": p.of}


def _group_out(card, by) -> dict:
    return {"mission": card.key.pk if by == "mission" else None,
            "mission_acronym": card.key.acronym if by == "mission" else None,
            "year": card.key if by == "year" else None, "secondments": card.count, "total": card.total.value,
            "missing": card.total.missing, "parts": [_part_out(p) for p in card.parts]}


@router.get("/scorecard", response={200: ScorecardOut, **error_responses(401, 403)})
def get_scorecard(request):
    """The dividend scorecard per mission and per year over the secondments you read (consolidated: no
    names), with the weights in force. The same figures as the scorecard page."""
    from . import scorecard
    from . import scorecard_access as scorecard_rules

    user = request.user
    if not scorecard_rules.can_read_scorecards(user):
        raise PermissionDenied("The dividend scorecard is for coordinators, policy officers, administrators, "
                               "auditors and the ministry liaison.")
    cards, weights, row = scorecard.all_cards(user)
    by_mission, _w, _r = scorecard.grouped(user, "mission", cards=cards, weights=weights, row=row)
    by_year, _w, _r = scorecard.grouped(user, "year", cards=cards, weights=weights, row=row)
    return {"model_version": row.version if row else 0, "weights": weights,
            "by_mission": [_group_out(c, "mission") for c in by_mission],
            "by_year": [_group_out(c, "year") for c in by_year]}


@router.get("/scorecard/secondments/{secondment_id}", response={200: SecondmentScorecardOut,
                                                                 **error_responses(400, 401, 403, 404)})
def get_secondment_scorecard(request, secondment_id: IdPath):
    """One secondment's scorecard, each part with its figures and source (names an officer's secondment:
    not for the ministry liaison; 404 outside the pools you read personal scorecards of)."""
    from django.shortcuts import get_object_or_404

    from dividend.audit.services import record

    from . import scorecard
    from . import scorecard_access as scorecard_rules

    user = request.user
    if not scorecard_rules.can_see_personal_scorecards(user):
        raise PermissionDenied("A secondment's scorecard names an officer: consolidated figures only for your role.")
    s = get_object_or_404(scorecard.scorecard_queryset(user, personal=True).select_related("position__mission"),
                          pk=secondment_id)
    weights, row = scorecard.model_in_force()
    card = scorecard.secondment_scorecards([s], weights=weights)[0]
    record(actor=user, action="read", obj=s, fields=["scorecard"])
    return {"secondment": s.pk, "mission_acronym": s.position.mission.acronym, "model_version": row.version if row else 0,
            "total": card.total.value, "missing": card.total.missing,
            "parts": [_part_out(p) | {"detail": p.detail, "source_url": p.source.url} for p in card.parts]}
