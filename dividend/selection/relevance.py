"""A position's relevance to national priorities: derived data, never stored.

Computed on every read from what is stored elsewhere — the adopted national country ranking
(`priorities.adoption.adopted_ranking`), the thematic weights of the adopted run's model, the
mission's thematic areas and host countries, the position's own thematic tags, the policy officer's
assessments of the position (`PositionAssessment`) and the weights of the parts in force
(`RelevanceWeights`) — so it follows a new adoption or a changed weight at once and has nothing
to refresh. docs/selection.md, "Strategic positions".

Two layers:

- :func:`compute_relevance` is a pure function over plain values (codes, numbers): every part with
  its weight, value (0–1) and points (its share of the total out of 100), and the details behind it.
- :func:`relevance_for` reads the database for many positions at once (a fixed number of queries)
  and calls it for each.

Parts (``PARTS``): the host country's place in the adopted ranking (``country``: the best-ranked
host country's relative rank, 1 for the first country, 0 for the last); the mission's thematic areas
(``mission_themes``) and the position's own tags (``position_themes``), each ``min(1, Σ national
weight of its themes ÷ the heaviest national weight)``; and three assessments a policy officer sets
from 0 to 1 (``international_commitments``, ``national_interests``, ``mission_interests``). A part
without its facts is left out of the total and the other weights are re-scaled (no ranking adopted,
no host country, no national thematic weight); an assessment not yet made counts as 0.5 (neutral),
said so on the page. Total = 100 × Σ weight × value ÷ Σ weight of the parts that count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dividend.common.weights import WeightsError as WeightsError  # re-exported: the callers catch it here
from dividend.common.weights import check_weights

PARTS = ("country", "mission_themes", "position_themes", "international_commitments", "national_interests",
         "mission_interests")
ASSESSMENT_PARTS = ("international_commitments", "national_interests", "mission_interests")
PART_LABELS = {
    "country": _("Host country in the national ranking"),
    "mission_themes": _("Mission's thematic areas"),
    "position_themes": _("Position's own thematic tags"),
    "international_commitments": _("International commitments"),
    "national_interests": _("National interests"),
    "mission_interests": _("The mission's interests"),
}
DEFAULT_WEIGHTS = {"country": 30, "mission_themes": 20, "position_themes": 20, "international_commitments": 10,
                   "national_interests": 10, "mission_interests": 10}
MAX_WEIGHT = 1000
NEUTRAL = 0.5


def validate_weights(weights) -> dict[str, float]:
    """{part: float} or WeightsError naming every problem (dividend.common.weights.check_weights)."""
    return check_weights(weights, PARTS, MAX_WEIGHT)


@dataclass(frozen=True)
class HostCountry:
    """A host country and its place in the adopted ranking (rank None: not ranked)."""

    iso3: str
    name: str
    rank: int | None = None
    score: float | None = None
    relative: float | None = None


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    weight: float  # its national thematic weight (0: not a priority theme or not weighted)


@dataclass(frozen=True)
class Part:
    part: str
    weight: float
    value: float | None  # 0–1; None: left out of the total (see ``note``)
    points: float | None  # its share of the total (out of 100)
    counted: bool
    note: str = ""  # why it is left out or neutral, in words
    detail: tuple = ()  # HostCountry rows (country) or Theme rows (themes)
    set_by: str = ""  # who set an assessment
    set_at: object = None

    @property
    def label(self):
        return PART_LABELS[self.part]


@dataclass(frozen=True)
class Relevance:
    total: float  # 0–100
    parts: tuple[Part, ...]
    ranking_adopted: bool
    ranking_message: str
    ranking_size: int = 0  # countries in the adopted ranking
    weights_source: str = ""
    themes_source: str = ""
    burden: int | None = None
    burden_label: str = ""
    burden_meaning: str = ""
    strategic: bool = False
    extra: dict = field(default_factory=dict)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.part == name)

    @property
    def country(self) -> Part:
        return self.part("country")


def _theme_value(themes: list[Theme], top: float) -> float:
    return min(1.0, sum(t.weight for t in themes) / top) if top > 0 else 0.0


NOTES = {
    "no_ranking": _("No country ranking is adopted: this part is left out."),
    "no_host": _("The mission has no host country: this part is left out."),
    "host_not_ranked": _("No host country is in the adopted ranking."),
    "no_theme_weights": _("No national thematic weights: this part is left out."),
    "no_areas": _("No thematic areas."),
    "no_tags": _("No thematic tags."),
    "not_assessed": _("Not assessed yet: counts as neutral (0.5)."),
}
_notes_in: dict[str | None, dict[str, str]] = {}


def _notes() -> dict[str, str]:
    """NOTES in the current language, translated once per language and process, not per position
    (each translation walks gettext's chain of catalogues: about 5 µs)."""
    language = get_language()
    if language not in _notes_in:
        _notes_in[language] = {key: str(text) for key, text in NOTES.items()}
    return _notes_in[language]


def compute_relevance(*, weights: dict[str, float], ranking_adopted: bool, ranking_message: str = "",
                      ranking_size: int = 0, host_countries: list[HostCountry], theme_weights: dict[str, float],
                      theme_names: dict[str, str] | None = None, mission_themes: list[str],
                      position_themes: list[str], assessments: dict[str, float | None],
                      assessed_by: str = "", assessed_at=None, **extra) -> Relevance:
    """One position's relevance from plain facts (see the module's docstring for each part).

    ``host_countries``: the mission's host countries with their rank, score and relative place in
    the adopted ranking (rank None: the country is not in it); ``theme_weights``: the national
    thematic weights {theme: weight}; ``mission_themes``, ``position_themes``: theme codes;
    ``assessments``: {part: 0–1 or None (not assessed)} for the three assessment parts.
    """
    names = theme_names or {}
    notes = _notes()
    weights = validate_weights(weights)
    top = max(theme_weights.values(), default=0.0)
    raw: dict[str, tuple[float | None, str, tuple]] = {}

    countries = tuple(sorted(host_countries, key=lambda c: (c.rank is None, c.rank or 0, c.iso3)))
    if not ranking_adopted:
        raw["country"] = (None, notes["no_ranking"], countries)
    elif not countries:
        raw["country"] = (None, notes["no_host"], countries)
    else:
        best = countries[0]
        if best.rank is None:
            raw["country"] = (0.0, notes["host_not_ranked"], countries)
        else:
            raw["country"] = (float(best.relative), "", countries)

    for part, codes in (("mission_themes", mission_themes), ("position_themes", position_themes)):
        themes = tuple(sorted((Theme(c, names.get(c, c), float(theme_weights.get(c, 0.0))) for c in set(codes)),
                              key=lambda t: (-t.weight, t.name)))
        if top <= 0:
            raw[part] = (None, notes["no_theme_weights"], themes)
        elif not themes:
            raw[part] = (0.0, notes["no_areas"] if part == "mission_themes"
                         else notes["no_tags"], themes)
        else:
            raw[part] = (_theme_value(list(themes), top), "", themes)

    for part in ASSESSMENT_PARTS:
        value = assessments.get(part)
        if value is None:
            raw[part] = (NEUTRAL, notes["not_assessed"], ())
        else:
            raw[part] = (float(value), "", ())

    counted_weight = sum(weights[p] for p in PARTS if raw[p][0] is not None)
    parts, total = [], 0.0
    for p in PARTS:
        value, note, detail = raw[p]
        counted = value is not None and counted_weight > 0
        points = round(100 * weights[p] * value / counted_weight, 2) if counted else None
        total += 100 * weights[p] * value / counted_weight if counted else 0.0
        is_assessment = p in ASSESSMENT_PARTS and assessments.get(p) is not None
        parts.append(Part(p, weights[p], None if value is None else round(value, 4), points, counted, note, detail,
                          assessed_by if is_assessment else "", assessed_at if is_assessment else None))
    return Relevance(total=round(total, 2), parts=tuple(parts), ranking_adopted=ranking_adopted,
                     ranking_message=ranking_message, ranking_size=ranking_size, extra=extra)


# --- The database layer ---------------------------------------------------------------------------

def weights_in_force():
    """(weights, source row or None): the policy officer's weights in force, else the defaults."""
    from .models import RelevanceWeights

    row = RelevanceWeights.objects.select_related("set_by").in_force()
    return (dict(row.weights) if row else dict(DEFAULT_WEIGHTS)), row


_THEME_CACHE: dict[str, dict[str, float]] = {}


def national_theme_weights(ranking) -> tuple[dict[str, float], str]:
    """The national thematic weights and where they come from: the adopted run's model as computed,
    else (nothing adopted) the current version of the default priority model."""
    from dividend.priorities import services as priorities

    if ranking:
        return ranking.theme_weights, str(_("thematic weights of the adopted run %(run)s") % {"run": ranking.run.pk})
    name, text = priorities.default_model_text()  # read only: a page showing relevance installs nothing
    key = hashlib.sha256(text.encode()).hexdigest()
    if key not in _THEME_CACHE:  # a model text always gives the same weights
        _THEME_CACHE[key] = priorities.theme_weights_of(text)
    return _THEME_CACHE[key], str(_("thematic weights of the current version of %(model)s (nothing adopted)")
                                  % {"model": name})


def relevance_for(positions) -> dict[int, Relevance]:
    """{position id: Relevance} for missions.Position rows (or ids), reading the database once for
    all of them: the positions with their mission and assessment, the missions' host countries and
    themes and the positions' tags.

    The many-to-many links are read as (owner, key, name) rows, each name translated once. With
    prefetch_related (a queryset per position and relation) and names and notes translated per
    use, the 135 positions of the demo's secondments took 71.7 ms, now 30.5 ms (ratio 0.42;
    PostgreSQL, same process, interleaved, median of 20; the national scorecard page took 134 ms).
    """
    from dividend.missions.models import Mission, Position
    from dividend.priorities.adoption import adopted_ranking
    from dividend.reference.models import Country, ThematicArea

    ids = [p if isinstance(p, int) else p.pk for p in positions]
    if not ids:
        return {}
    rows = list(Position.objects.filter(pk__in=ids).select_related("mission", "assessment", "assessment__set_by"))
    mission_ids = {position.mission_id for position in rows}
    hosts = _linked(Mission.host_countries.through, "mission_id", "country", "iso3", Country, mission_ids)
    areas = _linked(Mission.thematic_areas.through, "mission_id", "thematicarea", "code", ThematicArea, mission_ids)
    tagged = _linked(Position.thematic_tags.through, "position_id", "thematicarea", "code", ThematicArea, ids)
    weights, weights_row = weights_in_force()
    ranking = adopted_ranking(None)
    theme_weights, themes_source = national_theme_weights(ranking)
    names = {code: name for linked in (*areas.values(), *tagged.values()) for code, name in linked}
    weights_source = (str(_("set by %(user)s on %(date)s") % {
        "user": weights_row.set_by.get_username() if weights_row.set_by else "—",
        "date": f"{weights_row.set_at:%Y-%m-%d}"}) if weights_row else str(_("default weights (not set yet)")))
    burdens = {}
    result = {}
    for position in rows:
        host_countries = []
        for iso3, country_name in hosts.get(position.mission_id, ()):
            found = ranking.get(iso3) if ranking else None
            host_countries.append(HostCountry(iso3, country_name, found.rank if found else None,
                                              found.score if found else None, found.relative if found else None))
        mission_themes = [code for code, _name in areas.get(position.mission_id, ())]
        tags = [code for code, _name in tagged.get(position.pk, ())]
        assessment = getattr(position, "assessment", None)
        values = {p: getattr(assessment, p) if assessment else None for p in ASSESSMENT_PARTS}
        relevance = compute_relevance(
            weights=weights, ranking_adopted=bool(ranking), ranking_message=ranking.message,
            ranking_size=len(ranking.countries), host_countries=host_countries, theme_weights=theme_weights,
            theme_names=names, mission_themes=mission_themes, position_themes=tags, assessments=values,
            assessed_by=(assessment.set_by.get_username() if assessment and assessment.set_by else ""),
            assessed_at=assessment.set_at if assessment else None)
        if position.burden not in burdens:  # translated once per burden level
            burdens[position.burden] = (position.get_burden_display() if position.burden else "",
                                        position.burden_meaning)
        burden_label, burden_meaning = burdens[position.burden]
        result[position.pk] = Relevance(
            **{**relevance.__dict__, "weights_source": weights_source, "themes_source": themes_source,
               "burden": position.burden, "burden_label": burden_label,
               "burden_meaning": burden_meaning, "strategic": position.strategic,
               "extra": {"position_id": position.pk, "note": assessment.note if assessment else ""}})
    return result


def _linked(through, owner: str, field: str, key: str, model, owner_ids) -> dict[int, list[tuple[str, str]]]:
    """{owner id: [(key, name shown)]} of a many-to-many table for the owners given, in the order of
    the keys; each name shown as the model shows it, once per name."""
    shown: dict[str, str] = {}
    linked: dict[int, list[tuple[str, str]]] = {}
    for owner_id, value, name in through.objects.filter(**{f"{owner}__in": owner_ids}).order_by(
            f"{field}__{key}").values_list(owner, f"{field}__{key}", f"{field}__name"):
        if name not in shown:
            shown[name] = str(model(name=name))
        linked.setdefault(owner_id, []).append((value, shown[name]))
    return linked


SORTS = ("relevance", "deadline", "burden", "-burden")


def strategic_call_positions(user, sort: str = "relevance"):
    """The positions of open calls the user sees (open positions), each with its relevance, sorted:
    ``relevance`` (most relevant first), ``deadline`` (soonest national pre-deadline first),
    ``burden`` (most accessible first) or ``-burden`` (heaviest first); unassessed burdens last.
    Returns [(call position, relevance)]; a fixed number of queries however many."""
    from dividend.missions.models import Position

    from .models import Call, CallPosition

    if sort not in SORTS:
        raise ValueError(sort)
    rows = list(CallPosition.objects.visible_to(user).with_related()
                .filter(call__status=Call.Status.OPEN, position__status=Position.Status.OPEN))
    relevance = relevance_for([cp.position for cp in rows])
    pairs = [(cp, relevance[cp.position_id]) for cp in rows]

    def by_relevance(pair):
        return -pair[1].total, pair[0].call.national_deadline, pair[0].pk

    keys = {
        "relevance": by_relevance,
        "deadline": lambda pair: (pair[0].call.national_deadline, -pair[1].total, pair[0].pk),
        "burden": lambda pair: (pair[0].position.burden is None, pair[0].position.burden or 0, *by_relevance(pair)),
        "-burden": lambda pair: (pair[0].position.burden is None, -(pair[0].position.burden or 0),
                                 *by_relevance(pair)),
    }
    return sorted(pairs, key=keys[sort])
