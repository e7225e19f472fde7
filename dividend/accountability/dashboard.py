"""The dashboard's figures, each with the queryset of the records it counts (its drill-down).

Every figure is computed over the records of the pools the reader's roles cover
(`access.figure_pools`), narrowed by the filters (period, pool). A figure's drill-down list
(`drill_down`) is built from the same definition, so the list has the figure's count: officers
deployed are distinct officers with a secondment that took place (`Secondment.TOOK_PLACE`) sharing
a day with the period (or month); the selection funnel counts calls published and nominations made
in the period; the reports funnel counts field reports submitted in the period (accepted; cited in
a published product, as the reports app's funnel); reintegration KPIs are the careers app's per
year of return; qualifications expiring are confirmed, unrestricted ones (medical and clearance
expiries are need-to-know, `roster.access`) expiring from today to 90 days on.

A part with nothing to count says so (`Part.empty`): no figure is invented.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from dividend.careers import kpis
from dividend.careers.models import RETURNEE_STATUSES, FollowUp
from dividend.common.exports import Table
from dividend.missions.models import Mission, Organisation
from dividend.pools.access import EVERY_POOL
from dividend.reference.models import Country
from dividend.reports.models import FieldReport, Product
from dividend.roster.models import GENDER_CHOICES, Officer, Qualification
from dividend.secondments.models import Secondment
from dividend.selection.models import Call, Nomination

from . import access, charts
from .periods import Period, month_end

EXPIRY_DAYS = 90
# Nominations that reached the selection: released by the line manager (or approved without a
# release) and any outcome after it.
RELEASED = (Nomination.Status.RELEASED, Nomination.Status.APPROVED, Nomination.Status.SELECTED,
            Nomination.Status.RESERVE, Nomination.Status.NOT_SELECTED)
MAIN_ORGANISATIONS = (Organisation.UN, Organisation.EU_CSDP, Organisation.OSCE)
SELECTION_STAGES = ("calls", "nominations", "released", "selected")
REPORT_STAGES = ("filed", "accepted", "cited")
KPI_STAGES = ("returnees", "placed", "considered", "answered", "gained")


@dataclass
class Scope:
    """Whose figures, over which period and pool."""

    user: object
    period: Period
    pool: object = None  # a Pool, or None: every pool the user's roles cover
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def pools(self):
        """Pool ids counted (EVERY_POOL: all)."""
        covered = access.figure_pools(self.user)
        if self.pool is None:
            return covered
        return frozenset({self.pool.pk}) if covered is EVERY_POOL or self.pool.pk in covered else frozenset()

    def query(self, **extra) -> dict:
        params = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        if self.pool is not None:
            params["pool"] = self.pool.pk
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return params


def default_period(today: dt.date) -> Period:
    """The last twelve months, this one included."""
    start = (today.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    return Period.between(start, month_end(today))


def _scoped(qs, pools, path="officer__pool_id"):
    return qs if pools is EVERY_POOL else qs.filter(**{f"{path}__in": pools})


# --- The records behind each figure ---------------------------------------------------------------

def deployments(scope: Scope, period: Period | None = None):
    period = period or scope.period
    qs = Secondment.objects.filter(status__in=Secondment.TOOK_PLACE).overlapping(period.start, period.end)
    return _scoped(qs, scope.pools)


def month_period(scope: Scope, month: dt.date) -> Period:
    """A month of the period, cut to the period."""
    return Period.between(max(month, scope.period.start), min(month_end(month), scope.period.end))


def deployed_officers(scope: Scope, *, month: dt.date | None = None, organisation: str = "", mission: int | None = None,
                      country: int | None = None, gender: str = ""):
    qs = deployments(scope, month_period(scope, month) if month else None)
    if organisation:
        qs = qs.filter(position__mission__organisation=organisation)
    if mission:
        qs = qs.filter(position__mission_id=mission)
    if country:
        qs = qs.filter(position__mission__host_countries=country)
    if gender:
        qs = qs.filter(officer__gender=gender)
    return Officer.objects.filter(pk__in=qs.values("officer_id"))


def calls(scope: Scope):
    qs = Call.objects.filter(published_on__gte=scope.period.start, published_on__lte=scope.period.end)
    if scope.pools is not EVERY_POOL:
        qs = Call.objects.filter(pk__in=qs.filter(pools__in=scope.pools).values("pk"))
    return qs


def nominations(scope: Scope, stage: str = "nominations"):
    qs = _scoped(Nomination.objects.filter(nominated_at__date__gte=scope.period.start,
                                           nominated_at__date__lte=scope.period.end), scope.pools)
    if stage == "released":
        qs = qs.filter(status__in=RELEASED)
    elif stage == "selected":
        qs = qs.filter(status=Nomination.Status.SELECTED)
    return qs


def field_reports(scope: Scope, stage: str = "filed"):
    qs = _scoped(FieldReport.objects.filter(submitted_at__date__gte=scope.period.start,
                                            submitted_at__date__lte=scope.period.end), scope.pools)
    if stage == "accepted":
        qs = qs.filter(status=FieldReport.Status.ACCEPTED)
    elif stage == "cited":
        qs = FieldReport.objects.filter(pk__in=qs.filter(
            citations__section__product__status=Product.Status.PUBLISHED).values("pk"))
    return qs


def returnees(scope: Scope, year: int, stage: str = "returnees"):
    qs = _scoped(Secondment.objects.filter(status__in=RETURNEE_STATUSES, end_date__year=year), scope.pools)
    if stage == "placed":
        qs = qs.filter(placement__isnull=False)
    elif stage == "considered":
        qs = qs.filter(placement__skills_considered=True)
    elif stage in ("answered", "gained"):
        answers = FollowUp.objects.filter(secondment__in=qs).values_list("secondment_id", "skills_used")
        qs = qs.filter(pk__in=[pk for pk, used in answers if stage == "answered" or used])
    return qs


def expiring(scope: Scope, qualification_type: int | None = None):
    qs = _scoped(Qualification.objects.expiring_between(scope.today, scope.today + dt.timedelta(days=EXPIRY_DAYS))
                 .unrestricted(), scope.pools)
    if qualification_type:
        qs = qs.filter(qualification_type_id=qualification_type)
    return qs


# --- Parts of the page ----------------------------------------------------------------------------

@dataclass
class Cell:
    value: object
    href: str = ""


@dataclass
class Part:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = ""
    empty: str = ""  # said instead of the chart and the table when there is nothing to count
    note: str = ""

    def table(self) -> Table:
        return Table(self.title, self.headers, [[cell.value for cell in row] for row in self.rows])

    def as_json(self) -> dict:
        return {"key": self.key, "title": self.title, "empty": self.empty, "headers": self.headers,
                "rows": [[cell.value for cell in row] for row in self.rows]}


class Links:
    def __init__(self, scope: Scope, enabled: bool):
        self.scope, self.enabled = scope, enabled

    def __call__(self, value, kind: str, **params) -> Cell:
        if not self.enabled or not value:
            return Cell(value)
        return Cell(value, reverse("accountability:drill", args=[kind]) + "?" + urlencode(self.scope.query(**params)))


def _organisation_label(code: str) -> str:
    return str(Organisation(code).label) if code in Organisation.values else code


def build(scope: Scope, *, links: bool = True, charts_too: bool = True) -> list[Part]:
    """Every part of the dashboard, in page order."""
    link = Links(scope, links and access.can_drill_down(scope.user))
    rows = list(deployments(scope).values_list("officer_id", "start_date", "end_date", "position__mission_id",
                                               "position__mission__organisation", "officer__gender"))
    parts = [
        _organisations(scope, rows, link, charts_too),
        _missions(scope, rows, link, charts_too),
        _countries(scope, rows, link, charts_too),
        _gender(scope, rows, link, charts_too),
        _selection(scope, link, charts_too),
        _reports(scope, link, charts_too),
        _reintegration(scope, link, charts_too),
        _qualifications(scope, link, charts_too),
    ]
    return parts


def _no_deployments() -> str:
    return _("No secondments took place in this period.")


def _organisations(scope, rows, link, charts_too) -> Part:
    part = Part("organisations", _("Officers deployed by organisation"), [_("Month")])
    if not rows:
        part.empty = _no_deployments()
        return part
    present = {org for *_rest, org, _g in rows}
    orgs = [o for o in MAIN_ORGANISATIONS] + sorted(present - set(MAIN_ORGANISATIONS))
    part.headers += [_organisation_label(o) for o in orgs] + [_("All")]
    months = scope.period.months()
    index = {(m.year, m.month): n for n, m in enumerate(months)}
    by_month = [defaultdict(set) for _ in months]  # per month: organisation -> officers
    every = [set() for _ in months]
    for officer, start, end, _mission, org, _gender in rows:
        # The months of the period the secondment touches (each row once per month it covers).
        first, last = max(start, scope.period.start), min(end or scope.period.end, scope.period.end)
        for n in range(index[(first.year, first.month)], index[(last.year, last.month)] + 1):
            by_month[n][org].add(officer)
            every[n].add(officer)
    series = {o: [] for o in orgs}
    for n, month in enumerate(months):
        key = month.strftime("%Y-%m")
        row = [Cell(key)]
        for org in orgs:
            row.append(link(len(by_month[n][org]), "officers", month=key, organisation=org))
            series[org].append(len(by_month[n][org]))
        row.append(link(len(every[n]), "officers", month=key))
        part.rows.append(row)
    if charts_too:
        part.chart = charts.lines([m.strftime("%Y-%m") for m in months],
                                  [(_organisation_label(o), series[o]) for o in orgs],
                                  title=part.title, ylabel=_("officers"))
    return part


def _missions(scope, rows, link, charts_too) -> Part:
    from .periods import person_months

    part = Part("missions", _("Officers deployed by mission"),
                [_("Mission"), _("Organisation"), _("Officers"), _("Person-months")])
    if not rows:
        part.empty = _no_deployments()
        return part
    people, months = defaultdict(set), defaultdict(float)
    for officer, start, end, mission, _org, _gender in rows:
        people[mission].add(officer)
        months[mission] += person_months(start, end, scope.period, scope.today)
    missions = {m.pk: m for m in Mission.objects.filter(pk__in=people).only("acronym", "organisation")}
    order = sorted(people, key=lambda pk: (-len(people[pk]), missions[pk].acronym))
    for pk in order:
        part.rows.append([Cell(missions[pk].acronym), Cell(_organisation_label(missions[pk].organisation)),
                          link(len(people[pk]), "officers", mission=pk), Cell(round(months[pk], 1))])
    part.note = _("Person-months: the days on mission in the period up to today, each month's share of its days.")
    if charts_too:
        part.chart = charts.bars([(missions[pk].acronym, len(people[pk])) for pk in order[:15]],
                                 title=part.title, xlabel=_("officers in the period"))
    return part


def _countries(scope, rows, link, charts_too) -> Part:
    part = Part("countries", _("Officers deployed by host country"),
                [_("Host country"), _("Region"), _("Missions"), _("Officers")])
    if not rows:
        part.empty = _no_deployments()
        return part
    hosts = defaultdict(set)
    for mission, country in Mission.host_countries.through.objects.filter(
            mission_id__in={r[3] for r in rows}).values_list("mission_id", "country_id"):
        hosts[mission].add(country)
    people, missions = defaultdict(set), defaultdict(set)
    for officer, _s, _e, mission, _org, _gender in rows:
        for country in hosts[mission]:
            people[country].add(officer)
            missions[country].add(mission)
    countries = {c.pk: c for c in Country.objects.filter(pk__in=people)}
    order = sorted(people, key=lambda pk: (-len(people[pk]), countries[pk].name))
    for pk in order:
        part.rows.append([Cell(countries[pk].name), Cell(countries[pk].region), Cell(len(missions[pk])),
                          link(len(people[pk]), "officers", country=pk)])
    part.note = _("A mission with several host countries counts in each.")
    if charts_too:
        part.chart = charts.bars([(countries[pk].name, len(people[pk])) for pk in order[:15]],
                                 title=part.title, xlabel=_("officers in the period"))
    return part


def _gender(scope, rows, link, charts_too) -> Part:
    part = Part("gender", _("Gender balance of the officers deployed"), [_("Gender"), _("Officers"), _("Share (%)")])
    if not rows:
        part.empty = _no_deployments()
        return part
    people = defaultdict(set)
    for officer, *_rest, gender in rows:
        people[gender].add(officer)
    total = len({r[0] for r in rows})
    for code, label in GENDER_CHOICES:
        count = len(people[code])
        part.rows.append([Cell(str(label)), link(count, "officers", gender=code),
                          Cell(round(100 * count / total, 1) if total else None)])
    if charts_too:
        part.chart = charts.bars([(str(label), len(people[code])) for code, label in GENDER_CHOICES],
                                 title=part.title, xlabel=_("officers in the period"))
    return part


def _selection(scope, link, charts_too) -> Part:
    labels = {"calls": _("Calls published"), "nominations": _("Nominations"),
              "released": _("Released by the line manager"), "selected": _("Selected")}
    counts = [calls(scope).count()] + [nominations(scope, stage).count() for stage in SELECTION_STAGES[1:]]
    part = Part("selection", _("Selection funnel"), [_("Stage"), _("Count")])
    if not any(counts):
        part.empty = _("No calls or nominations in this period.")
        return part
    for stage, count in zip(SELECTION_STAGES, counts, strict=True):
        part.rows.append([Cell(str(labels[stage])), link(count, "selection", stage=stage)])
    if charts_too:
        part.chart = charts.bars([(str(labels[s]), c) for s, c in zip(SELECTION_STAGES, counts, strict=True)],
                                 title=part.title, xlabel=_("count"))
    return part


def _reports(scope, link, charts_too) -> Part:
    labels = {"filed": _("Field reports filed"), "accepted": _("Accepted"),
              "cited": _("Cited in a published product")}
    counts = [field_reports(scope, stage).count() for stage in REPORT_STAGES]
    part = Part("reports", _("Reports funnel"), [_("Stage"), _("Reports")])
    if not counts[0]:
        part.empty = _("No field reports were filed in this period.")
        return part
    for stage, count in zip(REPORT_STAGES, counts, strict=True):
        part.rows.append([Cell(str(labels[stage])), link(count, "reports", stage=stage)])
    if charts_too:
        part.chart = charts.bars([(str(labels[s]), c) for s, c in zip(REPORT_STAGES, counts, strict=True)],
                                 title=part.title, xlabel=_("reports"))
    return part


def _reintegration(scope, link, charts_too) -> Part:
    part = Part("reintegration", _("Reintegration KPIs by year of return"),
                [_("Year"), _("Returnees"), _("Placed"), _("New skills taken into account"),
                 _("Share taken into account (%)"), _("Follow-ups answered"), _("Gained useful skills"),
                 _("Share gained useful skills (%)"), _("Median days to placement")])
    years = range(scope.period.start.year, scope.period.end.year + 1)
    rows = [r for r in kpis.compute(scope.pools) if r.pool == "" and r.year in years]
    if not rows:
        part.empty = _("No officers returned in the years of this period.")
        return part
    for r in rows:
        part.rows.append([Cell(r.year), link(r.returnees, "returnees", year=r.year, stage="returnees"),
                          link(r.placed, "returnees", year=r.year, stage="placed"),
                          link(r.considered, "returnees", year=r.year, stage="considered"), Cell(r.share_considered),
                          link(r.answered, "returnees", year=r.year, stage="answered"),
                          link(r.gained, "returnees", year=r.year, stage="gained"), Cell(r.share_gained),
                          Cell(r.median_days)])
    part.note = _("Baselines: new skills taken into account under %(considered)s %%, gained useful skills over "
                  "%(gained)s %%.") % {"considered": kpis.BASELINE_TAKEN_INTO_ACCOUNT, "gained": kpis.BASELINE_GAINED}
    if charts_too:
        part.chart = kpis.chart(rows, title=part.title, labels={
            "considered": _("new skills taken into account"), "gained": _("gained useful skills"),
            "baseline": _("baseline")})
    return part


def _qualifications(scope, link, charts_too) -> Part:
    part = Part("qualifications", _("Qualifications expiring in the next %(days)s days") % {"days": EXPIRY_DAYS},
                [_("Qualification"), _("Expiring")])
    counts = list(expiring(scope).values("qualification_type_id", "qualification_type__name")
                  .annotate(n=Count("id")).order_by("-n", "qualification_type__name"))
    if not counts:
        part.empty = _("No qualification expires in the next %(days)s days.") % {"days": EXPIRY_DAYS}
        return part
    for row in counts:
        part.rows.append([Cell(row["qualification_type__name"]),
                          link(row["n"], "qualifications", type=row["qualification_type_id"])])
    part.rows.append([Cell(_("All")), link(sum(r["n"] for r in counts), "qualifications")])
    part.note = _("Medical and clearance expiries are need-to-know and not counted here.")
    if charts_too:
        part.chart = charts.bars([(r["qualification_type__name"], r["n"]) for r in counts[:15]],
                                 title=part.title, xlabel=_("qualifications"))
    return part


# --- Drill-down ---------------------------------------------------------------------------------

DRILL_KINDS = ("officers", "selection", "reports", "returnees", "qualifications")


def _int(value, low=1, high=2**31 - 1):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _month(value, scope):
    if not value:
        return None
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise ValidationError(_("Write the month as YYYY-MM.")) from error
    if month_end(month) < scope.period.start or month > scope.period.end:
        raise ValidationError(_("The month is outside the period."))
    return month


def drill_down(scope: Scope, kind: str, params) -> tuple[str, object]:
    """(kind of rows, the queryset) of the figure named by `kind` and its parameters: the same
    definition the figure counts."""
    if kind == "officers":
        organisation = params.get("organisation", "")
        gender = params.get("gender", "")
        if organisation and organisation not in Organisation.values:
            raise ValidationError(_("Unknown organisation."))
        if gender and gender not in dict(GENDER_CHOICES):
            raise ValidationError(_("Unknown gender."))
        return "officers", deployed_officers(scope, month=_month(params.get("month"), scope), organisation=organisation,
                                             mission=_int(params.get("mission")), country=_int(params.get("country")),
                                             gender=gender)
    if kind == "selection":
        stage = params.get("stage", "")
        if stage not in SELECTION_STAGES:
            raise ValidationError(_("Unknown stage."))
        return ("calls", calls(scope)) if stage == "calls" else ("nominations", nominations(scope, stage))
    if kind == "reports":
        stage = params.get("stage", "")
        if stage not in REPORT_STAGES:
            raise ValidationError(_("Unknown stage."))
        return "reports", field_reports(scope, stage)
    if kind == "returnees":
        stage, year = params.get("stage", ""), _int(params.get("year"), 1900, 2200)
        if stage not in KPI_STAGES or year is None:
            raise ValidationError(_("Name a year and a stage."))
        return "secondments", returnees(scope, year, stage)
    if kind == "qualifications":
        return "qualifications", expiring(scope, _int(params.get("type")))
    raise ValidationError(_("Unknown figure."))


def figures_json(scope: Scope) -> dict:
    return {"period": {"start": scope.period.start.isoformat(), "end": scope.period.end.isoformat()},
            "pool": scope.pool.code if scope.pool is not None else None,
            "parts": [part.as_json() for part in build(scope, links=False, charts_too=False)]}
