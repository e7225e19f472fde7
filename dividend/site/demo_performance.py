"""Demo data for mission performance (issue 14 §7), recorded through the performance workflows (the
audit log holds them too): on a border-management mission the country contributes to (EUBAM Libya
when the demo deployed officers there, else the one with most secondments that took place) and on
the non-border mission with most of them, four CPAS-style indicators each with quarterly values and
their sources, a few secondees' contributions by the national coordinator; on the border mission the
IBM needs-assessment baseline a year and a half ago and one later assessment six months ago.
Deterministic: missions and secondments are chosen by count and acronym, never by primary key."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from dividend.performance import services
from dividend.performance.models import (
    BORDER_MANAGEMENT,
    Area,
    Assessment,
    Contribution,
    Indicator,
    contributed_missions,
)
from dividend.secondments.models import Secondment

PREFERRED_BORDER_MISSION = "EUBAM Libya"

# (level, text, unit, direction, baseline, target, quarterly values oldest first)
BORDER_INDICATORS = [
    ("output", "Border guards trained in risk analysis", "officers", "increase", 0, 240, [35, 80, 130, 170]),
    ("outcome", "Border crossing points applying common risk indicators", "%", "increase", 10, 60, [12, 18, 27, 34]),
    ("outcome", "Average hours to exchange an alert with a neighbouring state", "hours", "decrease", 72, 12,
     [70, 55, 41, 30]),
    ("impact", "Seizures of smuggled goods at land borders", "cases per quarter", "increase", 40, 90, [38, 47, 52, 61]),
]
OTHER_INDICATORS = [
    ("output", "Investigators mentored in financial investigation", "officers", "increase", 0, 60, [8, 19, 31, 44]),
    ("outcome", "Organised-crime cases referred to prosecution", "cases per quarter", "increase", 15, 40,
     [16, 21, 24, 29]),
    ("outcome", "Share of units using the case management system", "%", "increase", 5, 80, [9, 22, 38, 51]),
    ("impact", "Citizens who trust the police (survey)", "%", "increase", 31, 45, [31, 33, 32, 36]),
]
BASELINE = {Area.LEGISLATIVE: 1, Area.INSTITUTIONAL: 1, Area.CAPACITY: 1, Area.OPERATIONAL: 2,
            Area.INFRASTRUCTURE: 0, Area.ABSORPTION: 2, Area.THREATS: 1, Area.STAKEHOLDERS: 2, Area.TRUST: 1}
LATER = {Area.LEGISLATIVE: 2, Area.INSTITUTIONAL: 2, Area.CAPACITY: 3, Area.OPERATIONAL: 2, Area.INFRASTRUCTURE: 1,
         Area.THREATS: 1, Area.TRUST: 2}
NARRATIVES = {
    Area.LEGISLATIVE: "Draft IBM strategy; border law of 2010 without a risk-analysis mandate.",
    Area.INSTITUTIONAL: "Four agencies at the border with overlapping mandates; no inter-agency committee.",
    Area.CAPACITY: "No national border guard curriculum; training ad hoc and donor-led.",
    Area.OPERATIONAL: "Checks at the main crossings; surveillance of the green border patchy.",
    Area.INFRASTRUCTURE: "Crossing points without database access; radios not interoperable.",
    Area.ABSORPTION: "Senior management committed; staff turnover high.",
    Area.THREATS: "Smuggling routes through the south known but not monitored.",
    Area.STAKEHOLDERS: "Donor coordination group meets quarterly; neighbours' liaison irregular.",
    Area.TRUST: "Survey: a minority trusts the border authorities.",
}


def _quarters(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The last `count` complete calendar quarters before `today`, oldest first."""
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for _ in range(count):
        end = quarter_start - dt.timedelta(days=1)
        start = dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
        quarters.append((start, end))
        quarter_start = start
    return quarters[::-1]


def _ranked(missions):
    return list(missions.annotate(took_place=Count("positions__secondments", filter=_took_place(), distinct=True))
                .order_by("-took_place", "acronym"))


def _took_place():
    return Q(positions__secondments__status__in=Secondment.TOOK_PLACE)


def wipe_performance() -> None:
    """Delete the performance records (before the demo wipe deletes the secondments they name)."""
    Contribution.objects.all().delete()
    Indicator.objects.all().delete()
    Assessment.objects.all().delete()


def make_performance(generator) -> dict[str, int]:
    """Indicators with values and contributions on two missions, and the border baseline with one
    later assessment; counts of what was made."""
    User = get_user_model()
    policy, coordinator = User.objects.get(username="policy"), User.objects.get(username="coordinator_national")
    today = generator.today
    wipe_performance()
    missions = contributed_missions()
    border = _ranked(missions.filter(thematic_areas__code=BORDER_MANAGEMENT))
    border.sort(key=lambda m: m.name != PREFERRED_BORDER_MISSION and m.acronym != PREFERRED_BORDER_MISSION)
    other = _ranked(missions.exclude(thematic_areas__code=BORDER_MANAGEMENT))
    chosen = [(m, rows) for m, rows in ((border[0] if border else None, BORDER_INDICATORS),
                                        (other[0] if other else None, OTHER_INDICATORS)) if m is not None]
    quarters = _quarters(today, 4)
    counts = {"indicators": 0, "indicator values": 0, "contributions": 0, "border assessments": 0}
    for mission, rows in chosen:
        indicators = []
        for level, text, unit, direction, baseline, target, values in rows:
            indicator, _ = services.save_indicator(
                actor=policy, mission=mission, level=level, text=text, unit=unit, direction=direction,
                baseline=baseline, baseline_date=quarters[0][0] - dt.timedelta(days=1), target=target,
                target_date=dt.date(today.year + 1, 12, 31))
            indicators.append(indicator)
            counts["indicators"] += 1
            for (start, end), value in zip(quarters, values, strict=True):
                quarter = f"Q{(start.month - 1) // 3 + 1} {start.year}"
                services.save_value(actor=policy, indicator=indicator, period_start=start, period_end=end,
                                    value=value, source=f"{mission.acronym} CPAS report {quarter}")
                counts["indicator values"] += 1
        secondments = list(Secondment.objects.filter(position__mission=mission, status__in=Secondment.TOOK_PLACE)
                           .select_related("officer", "position__mission")
                           .order_by("start_date", "officer__service_number")[:3])
        for n, secondment in enumerate(secondments):
            indicator = indicators[n % len(indicators)]
            services.add_contribution(
                actor=coordinator, indicator=indicator, secondment=secondment,
                description=f"As {secondment.position.title}, worked on: {indicator.text.lower()}.")
            counts["contributions"] += 1
        if rows is BORDER_INDICATORS:
            for kind, on, values in (("baseline", today - dt.timedelta(days=548), BASELINE),
                                     ("follow_up", today - dt.timedelta(days=182), LATER)):
                source = (f"{mission.acronym} needs assessment" if kind == "baseline"
                          else f"{mission.acronym} strategic review")
                services.save_assessment(actor=policy, mission=mission, kind=kind, assessed_on=on, note="",
                                         ratings={str(a): (r, NARRATIVES[a], source) for a, r in values.items()})
                counts["border assessments"] += 1
    return counts
