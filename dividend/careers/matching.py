"""Matching returnees to a domestic vacancy with a transparent score (issue 11 §6).

The score is out of 100 and every part is shown with its reason:

- skills gained on mission (up to 50): the share of the vacancy's required skills that the returnee
  set as a learning objective and was rated, after the mission, at the required level or above
  (the supervisor's rating; the officer's own where the supervisor gave none);
- skills held (up to 20): the share of the required skills the officer's roster record holds at the
  required level or above;
- country knowledge (up to 15): a country of the vacancy among the mission's host countries or the
  officer's declared country expertise;
- thematic knowledge (up to 15): a theme of the vacancy among the mission's themes or the officer's
  declared thematic expertise.

A placement keeps the parts; "new skills taken into account" (the KPI) means the first part scored.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import RETURNED, Appraisal, AppraisalRating, Placement

WEIGHTS = {"skills_gained": 50, "skills_held": 20, "country": 15, "theme": 15}


@dataclass
class Part:
    key: str
    label: str
    points: float
    maximum: int
    reason: str


@dataclass
class Score:
    parts: list[Part] = field(default_factory=list)

    @property
    def total(self) -> float:
        return round(sum(p.points for p in self.parts), 1)

    @property
    def skills_considered(self) -> bool:
        return any(p.key == "skills_gained" and p.points > 0 for p in self.parts)

    def as_dict(self) -> dict:
        return {"total": self.total, "parts": [{"key": p.key, "label": p.label, "points": p.points,
                                                "maximum": p.maximum, "reason": p.reason} for p in self.parts]}


@dataclass
class Facts:
    """What the score reads of one returnee's secondment."""

    gained: dict  # skill id → level reached after the mission (objectives only)
    held: dict  # skill id → roster level
    countries: set
    themes: set


def _share(points: int, met: int, count: int) -> float:
    return round(points * met / count, 1) if count else 0.0


def score(required: list[tuple], vacancy_countries: set, vacancy_themes: set, facts: Facts,
          names: dict | None = None) -> Score:
    """The score of one returnee's facts against the vacancy's requirements ([(skill id, level)])."""
    names = names or {}
    gained = [s for s, level in required if facts.gained.get(s, 0) >= level]
    held = [s for s, level in required if facts.held.get(s, 0) >= level]
    countries = vacancy_countries & facts.countries
    themes = vacancy_themes & facts.themes

    def listed(ids):
        return ", ".join(sorted(str(names.get(i, i)) for i in ids)) or "—"

    parts = [
        Part("skills_gained", _("Skills gained on mission"), _share(WEIGHTS["skills_gained"], len(gained), len(required)),
             WEIGHTS["skills_gained"], _("%(met)s of %(count)s required skills reached on mission: %(names)s") % {
                 "met": len(gained), "count": len(required), "names": listed(gained)}),
        Part("skills_held", _("Skills held"), _share(WEIGHTS["skills_held"], len(held), len(required)),
             WEIGHTS["skills_held"], _("%(met)s of %(count)s required skills on the record: %(names)s") % {
                 "met": len(held), "count": len(required), "names": listed(held)}),
        Part("country", _("Country knowledge"), float(WEIGHTS["country"]) if countries else 0.0, WEIGHTS["country"],
             _("Knows %(names)s") % {"names": listed(countries)} if countries else
             (_("No country asked") if not vacancy_countries else _("None of the vacancy's countries"))),
        Part("theme", _("Thematic knowledge"), float(WEIGHTS["theme"]) if themes else 0.0, WEIGHTS["theme"],
             _("Knows %(names)s") % {"names": listed(themes)} if themes else
             (_("No theme asked") if not vacancy_themes else _("None of the vacancy's themes"))),
    ]
    return Score(parts)


def facts_of(secondments) -> dict[int, Facts]:
    """Facts per secondment id, read in a fixed number of queries however many secondments."""
    from dividend.roster.models import Officer, OfficerSkill
    from dividend.secondments.models import Secondment

    ids = [s.pk for s in secondments]
    facts = {}
    rows = Secondment.objects.filter(pk__in=ids).values_list(
        "pk", "officer_id", "position__mission__host_countries", "position__mission__thematic_areas")
    officer_of = {}
    for pk, officer_id, country, theme in rows:
        f = facts.setdefault(pk, Facts({}, {}, set(), set()))
        officer_of[pk] = officer_id
        if country:
            f.countries.add(country)
        if theme:
            f.themes.add(theme)
    officer_ids = set(officer_of.values())
    held, countries, themes = {}, {}, {}
    for officer_id, skill_id, level in OfficerSkill.objects.filter(officer_id__in=officer_ids).values_list(
            "officer_id", "skill_id", "level"):
        held.setdefault(officer_id, {})[skill_id] = level
    for officer_id, country in Officer.country_expertise.through.objects.filter(
            officer_id__in=officer_ids).values_list("officer_id", "country_id"):
        countries.setdefault(officer_id, set()).add(country)
    for officer_id, theme in Officer.thematic_expertise.through.objects.filter(
            officer_id__in=officer_ids).values_list("officer_id", "thematicarea_id"):
        themes.setdefault(officer_id, set()).add(theme)
    # After-mission ratings of objectives: the supervisor's wins over the officer's own.
    ratings = AppraisalRating.objects.filter(appraisal__secondment_id__in=ids, appraisal__stage=Appraisal.Stage.AFTER,
                                             objective__isnull=False).values_list(
        "appraisal__secondment_id", "appraisal__rater", "objective__skill_id", "rating")
    reached = {}
    for secondment_id, rater, skill_id, rating in ratings:
        slot = reached.setdefault(secondment_id, {}).setdefault(skill_id, {})
        slot[rater] = rating
    for pk, f in facts.items():
        officer_id = officer_of[pk]
        f.held = held.get(officer_id, {})
        f.countries |= countries.get(officer_id, set())
        f.themes |= themes.get(officer_id, set())
        f.gained = {skill: by.get(Appraisal.Rater.SUPERVISOR, by.get(Appraisal.Rater.SELF, 0))
                    for skill, by in reached.get(pk, {}).items()}
    return facts


def _requirements(vacancy):
    required = [(s.skill_id, s.level) for s in vacancy.skills.all()]
    return required, {c.pk for c in vacancy.countries.all()}, {t.pk for t in vacancy.themes.all()}


def _names(vacancy) -> dict:
    names = {s.skill_id: str(s.skill) for s in vacancy.skills.select_related("skill")}
    names |= {c.pk: str(c) for c in vacancy.countries.all()}
    names |= {t.pk: str(t) for t in vacancy.themes.all()}
    return names


def score_returnee(vacancy, secondment) -> Score:
    required, countries, themes = _requirements(vacancy)
    return score(required, countries, themes, facts_of([secondment])[secondment.pk], _names(vacancy))


@dataclass
class Match:
    secondment: object
    score: Score


def candidates(vacancy, secondments, limit: int = 50) -> list[Match]:
    """The returned, not yet placed secondments among `secondments` (a queryset the caller
    limited to what the user manages), best score first (then the earliest return)."""
    pool = list(secondments.filter(status=RETURNED).exclude(pk__in=Placement.objects.values("secondment_id"))
                .select_related("officer", "officer__pool", "position__mission"))
    if not pool:
        return []
    required, countries, themes = _requirements(vacancy)
    names = _names(vacancy)
    facts = facts_of(pool)
    matches = [Match(s, score(required, countries, themes, facts[s.pk], names)) for s in pool]
    matches.sort(key=lambda m: (-m.score.total, m.secondment.end_date or m.secondment.start_date, m.secondment.pk))
    return matches[:limit]
