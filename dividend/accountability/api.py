"""The accountability API: the dashboard's figures and the report to parliament's, as JSON. Consolidated
figures only (counts, person-months, shares), no names: a Ministry liaison reads them too. Input goes
through the pages' forms. (The scorecard's and portfolio planning's endpoints join this router.)"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema

from dividend.common.api import IdFilter, IsoDate, Text, error_responses, form_errors

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
