"""What the checklist page suggests: the internal-security briefing's topics and the returnees to
talk to. Both are read afresh each time (the priorities and requirements change), and read only:
nothing is installed or written on a read (the default priority model is read from its file while
it is not installed, as position relevance does)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Value, When

from dividend.careers.returnees import ReturneeQuery, matching_secondments
from dividend.priorities.adoption import adopted_ranking
from dividend.reference.models import ThematicArea
from dividend.reports.models import InformationRequirement
from dividend.roster.models import Officer
from dividend.secondments.models import Secondment
from dividend.selection.relevance import national_theme_weights

MAX_RETURNEES = 10


@dataclass(frozen=True)
class Topic:
    kind: str  # "priority": a national thematic priority; "requirement": a standing information requirement
    title: str
    detail: str
    on_mission: bool  # the mission works on this theme / the requirement is set for this very mission
    weight: float | None = None


@dataclass(frozen=True)
class Briefing:
    topics: tuple[Topic, ...]
    priorities_source: str


def briefing_topics(mission) -> Briefing:
    """The internal-security briefing for a mission: the national thematic priorities (the adopted
    run's thematic weights, else the default priority model's), the mission's own themes first, then
    by weight; then the standing information requirements that apply to the mission (set for it,
    its sub-region or one of its themes), those set for the mission itself first."""
    weights, source = national_theme_weights(adopted_ranking(None))
    mission_themes = set(mission.thematic_areas.values_list("code", flat=True))
    names = {t.code: str(t) for t in ThematicArea.objects.filter(code__in=[c for c, w in weights.items() if w > 0])}
    priorities = sorted(((code, weight) for code, weight in weights.items() if weight > 0 and code in names),
                        key=lambda cw: (cw[0] not in mission_themes, -cw[1], names[cw[0]]))
    topics = [Topic("priority", names[code], "", code in mission_themes, round(weight, 4))
              for code, weight in priorities]
    requirements = (InformationRequirement.objects.for_missions([mission]).filter(active=True)
                    .order_by("title", "id"))
    rows = sorted(requirements, key=lambda r: r.mission_id != mission.pk)
    topics += [Topic("requirement", r.title, r.description, r.mission_id == mission.pk) for r in rows]
    return Briefing(tuple(topics), source)


@dataclass(frozen=True)
class Returnee:
    officer: Officer
    secondment: Secondment
    same_mission: bool  # else: the same UN M49 sub-region


def suggest_returnees(secondment, user, limit: int = MAX_RETURNEES) -> list[Returnee]:
    """Officers back from the same mission, else from a mission in the same UN M49 sub-region (one of
    its host countries'), each once with their latest such secondment, most recent return first
    (same mission before same region on the same date). Drawn from the careers app's returnee pool
    (`careers.returnees.matching_secondments`: returned or reintegrated secondments with an end date,
    of officers `user` may see)."""
    mission = secondment.position.mission
    subregions = [s for s in mission.host_countries.values_list("subregion", flat=True) if s]
    condition = Q(position__mission=mission)
    if subregions:
        condition |= Q(position__mission__host_countries__subregion__in=subregions)
    candidates = (matching_secondments(user, ReturneeQuery()).filter(condition)
                  .exclude(officer_id=secondment.officer_id)
                  .annotate(same_mission=Case(When(position__mission=mission, then=Value(1)), default=Value(0),
                                              output_field=IntegerField()))
                  .select_related("officer", "officer__pool", "officer__rank", "position__mission")
                  .order_by(F("end_date").desc(nulls_last=True), "-same_mission", "-start_date", "id").distinct())
    found: dict[int, Returnee] = {}
    for s in candidates[:limit * 5]:  # most recent first: an officer's first row is their latest return
        if s.officer_id not in found:
            found[s.officer_id] = Returnee(s.officer, s, bool(s.same_mission))
    return list(found.values())[:limit]
