"""The report to parliament (issue 14 §4): for a period (a quarter, a year, a range of them), the
missions the country took part in — per mission its organisation, host countries, mandate type,
thematic areas, officers deployed (people and person-months), positions held and gender split —
with totals and the same period a year earlier, and the charts. National figures only, no names.

"Took part" is a secondment that took place (`Secondment.TOOK_PLACE`) sharing a day with the
period; person-months count each month's share of its days on mission, up to today
(`periods.person_months`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dividend.common.exports import Table, html_pdf_bytes, tables_xlsx_bytes
from dividend.missions.models import Mission, Organisation
from dividend.secondments.models import Secondment

from . import charts
from .periods import Period, person_months

WOMEN, MEN = "female", "male"


@dataclass
class MissionFigures:
    mission_id: int
    acronym: str
    name: str
    organisation: str
    host_countries: list[str]
    mandate: list[str]
    themes: list[str]
    people: int = 0
    person_months: float = 0.0
    positions: list[tuple[str, int]] = field(default_factory=list)  # (title, officers)
    women: int = 0
    men: int = 0
    other: int = 0  # other or undisclosed
    people_before: int = 0
    person_months_before: float = 0.0


@dataclass
class Totals:
    missions: int = 0
    people: int = 0
    person_months: float = 0.0
    women: int = 0
    men: int = 0
    other: int = 0
    by_organisation: dict = field(default_factory=dict)  # organisation label -> missions

    @property
    def women_share(self) -> float | None:
        return round(100 * self.women / self.people, 1) if self.people else None


@dataclass
class Report:
    period: Period
    before: Period
    missions: list[MissionFigures]
    totals: Totals
    totals_before: Totals
    today: dt.date

    @property
    def empty(self) -> bool:
        return not self.missions


def _rows(period: Period):
    return list(Secondment.objects.filter(status__in=Secondment.TOOK_PLACE).overlapping(period.start, period.end)
                .values_list("officer_id", "start_date", "end_date", "position__mission_id", "position__title",
                             "officer__gender"))


def _totals(rows, period, today, labels) -> tuple[Totals, dict, dict]:
    """Totals, people per mission and person-months per mission."""
    people, months = defaultdict(set), defaultdict(float)
    genders = {}
    for officer, start, end, mission, _title, gender in rows:
        people[mission].add(officer)
        months[mission] += person_months(start, end, period, today)
        genders[officer] = gender
    counts = Counter(genders.values())
    totals = Totals(missions=len(people), people=len(genders), person_months=round(sum(months.values()), 1),
                    women=counts[WOMEN], men=counts[MEN], other=len(genders) - counts[WOMEN] - counts[MEN])
    by_org = Counter(labels[m] for m in people if m in labels)
    totals.by_organisation = dict(sorted(by_org.items()))
    return totals, people, months


def _mandate(mission: Mission) -> list[str]:
    kinds = [(mission.mandate_strengthening, _("strengthening")), (mission.mandate_executive, _("executive")),
             (mission.mandate_monitoring, _("monitoring"))]
    return [str(label) for held, label in kinds if held]


def compute(period: Period, *, today: dt.date | None = None) -> Report:
    """The report's figures: four queries (the period's secondments, a year earlier's, the missions
    with their host countries and themes)."""
    today = today or dt.date.today()
    before = period.year_earlier()
    rows, rows_before = _rows(period), _rows(before)
    mission_ids = {r[3] for r in rows} | {r[3] for r in rows_before}
    missions = {m.pk: m for m in Mission.objects.filter(pk__in=mission_ids).prefetch_related(
        "host_countries", "thematic_areas")}
    labels = {pk: str(Organisation(m.organisation).label) if m.organisation in Organisation.values
              else m.organisation for pk, m in missions.items()}
    totals, people, months = _totals(rows, period, today, labels)
    totals_before, people_before, months_before = _totals(rows_before, before, today, labels)
    positions, genders = defaultdict(lambda: defaultdict(set)), defaultdict(dict)
    for officer, _start, _end, mission, title, gender in rows:
        positions[mission][title].add(officer)
        genders[mission][officer] = gender
    figures = []
    for pk in people:
        m = missions[pk]
        split = Counter(genders[pk].values())
        figures.append(MissionFigures(
            mission_id=pk, acronym=m.acronym, name=m.name, organisation=labels[pk],
            host_countries=sorted(c.name for c in m.host_countries.all()), mandate=_mandate(m),
            themes=sorted(t.name for t in m.thematic_areas.all()), people=len(people[pk]),
            person_months=round(months[pk], 1),
            positions=sorted(((title, len(officers)) for title, officers in positions[pk].items()),
                             key=lambda p: (-p[1], p[0])),
            women=split[WOMEN], men=split[MEN], other=len(people[pk]) - split[WOMEN] - split[MEN],
            people_before=len(people_before.get(pk, ())), person_months_before=round(months_before.get(pk, 0.0), 1)))
    figures.sort(key=lambda f: (f.organisation, f.acronym))
    return Report(period=period, before=before, missions=figures, totals=totals, totals_before=totals_before,
                  today=today)


# --- Tables (XLSX, the PDF's and the page's tables) ------------------------------------------------

def _change(now, then):
    return round(now - then, 1) if isinstance(now, float) or isinstance(then, float) else now - then


def summary_table(report: Report) -> Table:
    t, b = report.totals, report.totals_before
    measures = [(_("Missions"), t.missions, b.missions), (_("Officers deployed"), t.people, b.people),
                (_("Person-months"), t.person_months, b.person_months), (_("Women"), t.women, b.women),
                (_("Men"), t.men, b.men), (_("Other or undisclosed"), t.other, b.other)]
    organisations = sorted(set(t.by_organisation) | set(b.by_organisation))
    measures += [(_("Missions: %(organisation)s") % {"organisation": org}, t.by_organisation.get(org, 0),
                  b.by_organisation.get(org, 0)) for org in organisations]
    return Table(_("Summary"), [_("Measure"), report.period.label, report.before.label, pgettext("noun", "Change")],
                 [[name, now, then, _change(now, then)] for name, now, then in measures])


def missions_table(report: Report) -> Table:
    headers = [_("Mission"), _("Name"), _("Organisation"), _("Host countries"), _("Mandate"), _("Thematic areas"),
               _("Officers"), _("Person-months"), _("Positions held"), _("Women"), _("Men"),
               _("Other or undisclosed"), _("Officers a year earlier"), _("Person-months a year earlier")]
    return Table(_("Missions"), headers, [
        [f.acronym, f.name, f.organisation, ", ".join(f.host_countries), ", ".join(f.mandate), ", ".join(f.themes),
         f.people, f.person_months, "; ".join(f"{title} ({n})" for title, n in f.positions), f.women, f.men, f.other,
         f.people_before, f.person_months_before] for f in report.missions])


def xlsx(report: Report) -> bytes:
    return tables_xlsx_bytes([summary_table(report), missions_table(report)])


# --- Charts and the PDF --------------------------------------------------------------------------

def report_charts(report: Report) -> list[tuple[str, str]]:
    """(title, SVG) of the report's charts; none when no mission took place."""
    if report.empty:
        return []
    people = charts.paired_bars([(f.acronym, f.people, f.people_before) for f in report.missions],
                                title=_("Officers deployed per mission"), xlabel=_("officers"),
                                first=report.period.label, second=report.before.label)
    t = report.totals
    gender = charts.bars([(_("Women"), t.women), (_("Men"), t.men), (_("Other or undisclosed"), t.other)],
                         title=_("Gender split of the officers deployed"), xlabel=_("officers"))
    return [(_("Officers deployed per mission"), people), (_("Gender split"), gender)]


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf(report: Report) -> bytes:
    images = [(title, _data_uri(svg)) for title, svg in report_charts(report)]
    return html_pdf_bytes("accountability/parliament_pdf.html", {
        "report": report, "summary": summary_table(report), "images": images})


def as_json(report: Report) -> dict:
    def totals(t: Totals) -> dict:
        return {"missions": t.missions, "officers": t.people, "person_months": t.person_months, "women": t.women,
                "men": t.men, "other": t.other, "missions_by_organisation": t.by_organisation}

    return {"period": {"label": report.period.label, "start": report.period.start.isoformat(),
                       "end": report.period.end.isoformat()},
            "year_earlier": {"label": report.before.label, "start": report.before.start.isoformat(),
                             "end": report.before.end.isoformat()},
            "totals": totals(report.totals), "totals_year_earlier": totals(report.totals_before),
            "missions": [{"acronym": f.acronym, "name": f.name, "organisation": f.organisation,
                          "host_countries": f.host_countries, "mandate": f.mandate, "thematic_areas": f.themes,
                          "officers": f.people, "person_months": f.person_months,
                          "positions": [{"title": t, "officers": n} for t, n in f.positions],
                          "women": f.women, "men": f.men, "other": f.other,
                          "officers_year_earlier": f.people_before,
                          "person_months_year_earlier": f.person_months_before} for f in report.missions]}
