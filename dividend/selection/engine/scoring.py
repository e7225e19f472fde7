"""The transparent score of a candidate for a position: parts with their weight and value shown.

Weights are data, validated like rule sets::

    {"format": 1,
     "weights": {"skills": 30, "languages": 20, "country_experience": 15,
                 "thematic_experience": 15, "missions": 10, "validity_margin": 10},
     "settings": {"missions_full_at": 3, "margin_full_at_months": 12,
                  "margin_qualifications": ["passport"]}}

Each part has a value from 0 to 1 (``PARTS`` below says how); the score is
``100 × Σ weight × value / Σ weight`` (0–100), and each part's points are its share of that sum.
A part the position gives nothing to compare with (no required skills, no themes …) takes the
neutral value 0.5, the same for every candidate of that position.

- ``skills``: mean over the position's required skills of: below the required level
  ``0.5 × level / required``; at it 0.5, rising linearly to 1 at the top level (4).
- ``languages``: the same over required languages on the CEFR scale (top C2 = 6).
- ``country_experience``: 1 with experience in a host country (declared or from mission history),
  0.5 with experience only in one of their regions, else 0.
- ``thematic_experience``: the share of the position's themes the candidate has experience in
  (declared or from mission history).
- ``missions``: earlier missions, ``min(count, missions_full_at) / missions_full_at``.
- ``validity_margin``: over ``margin_qualifications``, the lowest of
  ``clip(months the qualification outlasts the deployment's end / margin_full_at_months, 0, 1)``;
  not held: 0; not expiring: 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .eligibility import NO_EXPIRY, NOT_HELD, CandidateColumns
from .errors import Problem, WeightsError, read_json
from .facts import CEFR_MAX, CEFR_NAMES, SKILL_LEVEL_MAX, Candidate, Position
from .messages import Reason
from .rules import DATA_DIR

PARTS = ("skills", "languages", "country_experience", "thematic_experience", "missions", "validity_margin")
NEUTRAL = 0.5
DAYS_PER_MONTH = 365.25 / 12
FORMAT_VERSION = 1
SETTINGS_DEFAULTS = {"missions_full_at": 3, "margin_full_at_months": 12, "margin_qualifications": []}


@dataclass(frozen=True)
class Weights:
    weights: Mapping[str, float]
    missions_full_at: int
    margin_full_at_months: int
    margin_qualifications: tuple[str, ...]
    data: Mapping[str, Any]

    @property
    def total(self) -> float:
        return float(sum(self.weights.values()))


@dataclass(frozen=True)
class ScorePart:
    part: str
    weight: float
    value: float  # 0..1
    points: float  # share of the 0-100 score
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Score:
    total: float  # 0..100
    parts: tuple[ScorePart, ...]


def validate_weights(data, known_qualifications: frozenset[str] | None = None) -> list[Problem]:
    """Every problem of a weights dict, each with its path; an empty list: valid."""
    if not isinstance(data, Mapping):
        return [Problem("", "weights must be an object")]
    problems = [Problem(name, "is not a field of the weights")
                for name in sorted(data.keys() - {"format", "weights", "settings"})]
    if data.get("format") != FORMAT_VERSION:
        problems.append(Problem("format", f"must be {FORMAT_VERSION}"))
    weights = data.get("weights")
    if not isinstance(weights, Mapping):
        problems.append(Problem("weights", f"must be an object with {', '.join(PARTS)}"))
    else:
        for name in PARTS:
            value = weights.get(name)
            if name not in weights:
                problems.append(Problem(f"weights.{name}", "is required (0 leaves the part out)"))
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1000 \
                    or value != value:
                problems.append(Problem(f"weights.{name}", "must be a number from 0 to 1000"))
        for name in sorted(weights.keys() - set(PARTS)):
            problems.append(Problem(f"weights.{name}", f"is not a score part ({', '.join(PARTS)})"))
        if not problems and sum(weights.values()) <= 0:
            problems.append(Problem("weights", "at least one weight must be above 0"))
    settings = data.get("settings", {})
    if not isinstance(settings, Mapping):
        problems.append(Problem("settings", "must be an object"))
        return problems
    for name in sorted(settings.keys() - SETTINGS_DEFAULTS.keys()):
        problems.append(Problem(f"settings.{name}", "is not a setting"))
    for name, high in (("missions_full_at", 20), ("margin_full_at_months", 120)):
        value = settings.get(name, SETTINGS_DEFAULTS[name])
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            problems.append(Problem(f"settings.{name}", f"must be a whole number from 1 to {high}"))
    codes = settings.get("margin_qualifications", [])
    if not isinstance(codes, list) or any(not isinstance(c, str) or not c for c in codes):
        problems.append(Problem("settings.margin_qualifications", "must be a list of qualification codes"))
    else:
        if len(set(codes)) != len(codes):
            problems.append(Problem("settings.margin_qualifications", "names a qualification twice"))
        for i, code in enumerate(codes):
            if known_qualifications is not None and code not in known_qualifications:
                problems.append(Problem(f"settings.margin_qualifications[{i}]",
                                        f"unknown or restricted qualification type {code!r}"))
    return problems


def load_weights(data, known_qualifications: frozenset[str] | None = None) -> Weights:
    """:class:`Weights` from a dict, JSON text or path; :class:`WeightsError` lists every problem."""
    data = read_json(data, WeightsError)
    problems = validate_weights(data, known_qualifications)
    if problems:
        raise WeightsError(problems)
    settings = SETTINGS_DEFAULTS | dict(data.get("settings", {}))
    return Weights({name: float(data["weights"][name]) for name in PARTS}, settings["missions_full_at"],
                   settings["margin_full_at_months"], tuple(settings["margin_qualifications"]), data)


def default_weights() -> Weights:
    return load_weights(DATA_DIR / "weights_default.json")


# ---------------------------------------------------------------------------------------------------
# One pair, explained

def level_value(level: int, need: int, top: int) -> float:
    """A held level against a required one: 0.5 × level/need below, 0.5 at it, 1 at the top level."""
    if level < need:
        return 0.5 * level / need
    return 1.0 if need >= top else 0.5 + 0.5 * (level - need) / (top - need)


def _levels(held: Mapping[str, int], needs: Mapping[str, int], top: int, reason: str, key: str, names=None):
    if not needs:
        return NEUTRAL, [Reason("nothing_required")]
    values, reasons = [], []
    for code, need in sorted(needs.items()):
        level = held.get(code, 0)
        value = level_value(level, need, top)
        values.append(value)
        shown = (names.get(level, "–"), names[need]) if names else (level, need)
        reasons.append(Reason(reason, {key: code, "level": shown[0], "min_level": shown[1], "value": value}))
    return sum(values) / len(values), reasons


def _country(c: Candidate, p: Position, regions_of: Mapping[str, str]):
    if not p.countries and not p.regions:
        return NEUTRAL, [Reason("nothing_required")]
    for country in sorted(p.countries):
        if country in c.country_expertise:
            return 1.0, [Reason("country_match", {"country": country, "source": "declared"})]
    for country in sorted(p.countries):
        if any(country in m.countries for m in c.missions):
            return 1.0, [Reason("country_match", {"country": country, "source": "history"})]
    for source, countries in (("declared", c.country_expertise),
                              ("history", frozenset().union(*(m.countries for m in c.missions)))):
        regions = sorted({regions_of[x] for x in countries if x in regions_of} & p.regions)
        if regions:
            return 0.5, [Reason("region_match", {"region": regions[0], "source": source})]
    return 0.0, [Reason("no_country_match")]


def _themes(c: Candidate, p: Position):
    if not p.themes:
        return NEUTRAL, [Reason("nothing_required")]
    matched = sorted(c.experience_themes & p.themes)
    if not matched:
        return 0.0, [Reason("themes_none_matched", {"total": len(p.themes)})]
    return len(matched) / len(p.themes), [
        Reason("themes_matched", {"matched": len(matched), "total": len(p.themes), "themes": matched})]


def _margin(c: Candidate, p: Position, weights: Weights):
    if not weights.margin_qualifications:
        return NEUTRAL, [Reason("margin_none_listed")]
    end, full = p.end_date, weights.margin_full_at_months
    values, reasons = [], []
    for code in weights.margin_qualifications:
        held = c.qualifications.get(code)
        if held is None:
            values.append(0.0)
            reasons.append(Reason("margin_missing", {"qualification": code}))
        elif held.expires_on is None:
            values.append(1.0)
        else:
            months = (held.expires_on.toordinal() - end.toordinal()) / DAYS_PER_MONTH
            values.append(min(max(months / full, 0.0), 1.0))
            if months >= 0:
                reasons.append(Reason("margin_months", {"qualification": code, "months": round(months, 1),
                                                        "full_at": full}))
            else:
                reasons.append(Reason("margin_short", {"qualification": code, "months": round(-months, 1)}))
    return min(values), reasons or [Reason("margin_no_expiry")]


def score(candidate: Candidate, position: Position, weights: Weights,
          regions_of: Mapping[str, str] | None = None) -> Score:
    """The candidate's score for the position, each part with its weight, value, points and reasons.

    ``regions_of`` maps a country code to its region (the app passes UN M49 sub-regions) so that
    experience in a neighbouring country counts for the region part.
    """
    regions_of = regions_of or {}
    c, p = candidate, position
    values = {
        "skills": _levels(c.skills, p.skills, SKILL_LEVEL_MAX, "skill_points", "skill"),
        "languages": _levels(c.languages, p.languages, CEFR_MAX, "language_points", "language", CEFR_NAMES),
        "country_experience": _country(c, p, regions_of),
        "thematic_experience": _themes(c, p),
        "missions": (min(len(c.missions), weights.missions_full_at) / weights.missions_full_at,
                     [Reason("missions_count", {"count": len(c.missions), "full_at": weights.missions_full_at})]),
        "validity_margin": _margin(c, p, weights),
    }
    total_weight = weights.total
    parts = tuple(ScorePart(name, weights.weights[name], values[name][0],
                            100.0 * weights.weights[name] * values[name][0] / total_weight, tuple(values[name][1]))
                  for name in PARTS)
    return Score(sum(part.points for part in parts), parts)


# ---------------------------------------------------------------------------------------------------
# Many pairs at once

def _level_matrix(held, positions: Sequence[Position], attribute: str, top: int, n: int) -> np.ndarray:
    sums = np.zeros((n, len(positions)))
    counts = np.zeros(len(positions))
    groups: dict[str, tuple[list[int], list[int]]] = {}
    for j, p in enumerate(positions):
        for code, need in getattr(p, attribute).items():
            cols, needs = groups.setdefault(code, ([], []))
            cols.append(j)
            needs.append(need)
    for code, (cols, needs) in groups.items():
        level = held(code).astype(float)[:, None]
        need = np.array(needs, dtype=float)[None, :]
        above = np.where(need >= top, 1.0, 0.5 + 0.5 * (level - need) / np.maximum(top - need, 1))
        sums[:, cols] += np.where(level < need, 0.5 * level / need, above)
        np.add.at(counts, cols, 1)
    out = np.full((n, len(positions)), NEUTRAL)
    has = counts > 0
    out[:, has] = sums[:, has] / counts[has]
    return out


def _indicator(sets: Sequence[frozenset[str]], universe: dict[str, int], dtype=np.float32) -> np.ndarray:
    out = np.zeros((len(sets), len(universe)), dtype=dtype)
    for i, items in enumerate(sets):
        for item in items:
            if item in universe:
                out[i, universe[item]] = 1.0
    return out


def score_parts_matrix(candidates: Sequence[Candidate] | CandidateColumns, positions: Sequence[Position],
                       weights: Weights, regions_of: Mapping[str, str] | None = None) -> dict[str, np.ndarray]:
    """Each part's value (0–1) for every candidate × position: {part: (n, m) float array}."""
    regions_of = regions_of or {}
    columns = candidates if isinstance(candidates, CandidateColumns) else CandidateColumns(candidates)
    cands, n, m = columns.candidates, columns.n, len(positions)
    parts = {
        "skills": _level_matrix(columns.skill, positions, "skills", SKILL_LEVEL_MAX, n),
        "languages": _level_matrix(columns.language, positions, "languages", CEFR_MAX, n),
    }
    # Countries and regions: indicator matrices, overlaps by matrix products.
    countries = sorted(set().union(*(p.countries for p in positions))) if positions else []
    regions = sorted(set().union(*(p.regions for p in positions))) if positions else []
    c_index, r_index = {x: i for i, x in enumerate(countries)}, {x: i for i, x in enumerate(regions)}
    experience = [c.experience_countries for c in cands]
    country_hit = _indicator(experience, c_index) @ _indicator([p.countries for p in positions], c_index).T > 0
    cand_regions = [frozenset(regions_of[x] for x in e if x in regions_of) for e in experience]
    region_hit = _indicator(cand_regions, r_index) @ _indicator([p.regions for p in positions], r_index).T > 0
    value = np.where(country_hit, 1.0, np.where(region_hit, 0.5, 0.0))
    nothing = np.array([not p.countries and not p.regions for p in positions], dtype=bool)
    value[:, nothing] = NEUTRAL
    parts["country_experience"] = value
    # Themes: the share of the position's themes matched.
    themes = sorted(set().union(*(p.themes for p in positions))) if positions else []
    t_index = {x: i for i, x in enumerate(themes)}
    position_themes = _indicator([p.themes for p in positions], t_index, np.float64)
    matched = _indicator([c.experience_themes for c in cands], t_index, np.float64) @ position_themes.T
    sizes = position_themes.sum(axis=1)
    value = np.full((n, m), NEUTRAL)
    has = sizes > 0
    value[:, has] = matched[:, has] / sizes[has]
    parts["thematic_experience"] = value
    full = weights.missions_full_at
    missions = np.array([min(len(c.missions), full) / full for c in cands], dtype=float).reshape(n)
    parts["missions"] = np.broadcast_to(missions[:, None], (n, m))
    # Validity margin: the lowest over the listed qualifications.
    if weights.margin_qualifications:
        end = np.array([p.end_date.toordinal() for p in positions], dtype=np.int64)
        value = np.ones((n, m))
        scale = DAYS_PER_MONTH * weights.margin_full_at_months
        for code in weights.margin_qualifications:
            expiry = columns.expiry(code)
            held = np.clip((expiry[:, None] - end[None, :]) / scale, 0.0, 1.0)
            held[expiry == NOT_HELD, :] = 0.0
            held[expiry == NO_EXPIRY, :] = 1.0
            value = np.minimum(value, held)
        parts["validity_margin"] = value
    else:
        parts["validity_margin"] = np.full((n, m), NEUTRAL)
    return parts


def _level_values(level: np.ndarray, need: int, top: int) -> np.ndarray:
    """:func:`level_value` over a vector of held levels."""
    if need >= top:
        above = np.ones_like(level)
    else:
        above = 0.5 + 0.5 * (level - need) / (top - need)
    return np.where(level < need, 0.5 * level / need, above)


def _groups(keys: Sequence) -> tuple[list, np.ndarray]:
    """The distinct keys (first seen first) and each key's index among them."""
    index: dict = {}
    of = np.fromiter((index.setdefault(key, len(index)) for key in keys), dtype=np.intp, count=len(keys))
    return list(index), of


def score_matrix(candidates: Sequence[Candidate] | CandidateColumns, positions: Sequence[Position],
                 weights: Weights, regions_of: Mapping[str, str] | None = None) -> np.ndarray:
    """The 0–100 score of every candidate × position (the same numbers as :func:`score`).

    Every part is a sum of candidate features times position coefficients: skills and languages per
    distinct (code, required level), themes per theme, country experience per distinct set of host
    countries and regions, the validity margin per distinct deployment end, missions and the neutral
    values as they are; so the whole matrix is one matrix product, (n × features) @ (features × m),
    with about 75 features for the benchmark's 1,000 positions. The features come from the candidates'
    numpy columns (:class:`CandidateColumns`, shared with eligibility), never from a loop over pairs.
    """
    regions_of = regions_of or {}
    columns = candidates if isinstance(candidates, CandidateColumns) else CandidateColumns(candidates)
    n, m = columns.n, len(positions)
    w = weights.weights
    features: list[np.ndarray] = []  # n-vectors
    entries: list[tuple[int, int, float]] = []  # (feature, position, coefficient)
    const = np.zeros(m)
    # Every code's column in one pass over the candidates, not one pass per code (the benchmark's
    # 14 skills and 8 languages: 22 passes over 5,000 candidates' facts took a third of the scoring).
    for part in ("skills", "languages"):
        if w[part]:
            columns.prefetch(part, [code for p in positions for code in getattr(p, part)])
    for part, attribute, top, held in (("skills", "skills", SKILL_LEVEL_MAX, columns.skill),
                                       ("languages", "languages", CEFR_MAX, columns.language)):
        if not w[part]:
            continue
        combos: dict[tuple[str, int], int] = {}
        for j, p in enumerate(positions):
            needs = getattr(p, attribute)
            if not needs:
                const[j] += w[part] * NEUTRAL
                continue
            share = w[part] / len(needs)
            for code, need in needs.items():
                k = combos.get((code, need))
                if k is None:
                    k = combos[(code, need)] = len(features)
                    features.append(_level_values(held(code).astype(float), need, top))
                entries.append((k, j, share))
    if w["thematic_experience"]:
        index, held = columns.experience("themes")
        theme_feature: dict[str, int] = {}
        for j, p in enumerate(positions):
            if not p.themes:
                const[j] += w["thematic_experience"] * NEUTRAL
                continue
            share = w["thematic_experience"] / len(p.themes)
            for theme in p.themes:
                if theme in index:  # nobody has experience in it: 0 for all
                    k = theme_feature.get(theme)
                    if k is None:
                        k = theme_feature[theme] = len(features)
                        features.append(held[:, index[theme]].astype(float))
                    entries.append((k, j, share))
    grouped: list[tuple[np.ndarray, float, np.ndarray]] = []  # (features of each group, weight, group of each position)
    if w["missions"]:
        full = weights.missions_full_at
        grouped.append((np.minimum(columns.mission_counts(), full)[:, None] / full, w["missions"], np.zeros(m, np.intp)))
    if w["country_experience"]:
        grouped.append(_country_features(columns, positions, regions_of, w["country_experience"], const))
    if w["validity_margin"]:
        if not weights.margin_qualifications:
            const += w["validity_margin"] * NEUTRAL
        else:
            grouped.append(_margin_features(columns, positions, weights))
    # One product: every part is a candidate feature times a position coefficient.
    width = len(features) + sum(g[0].shape[1] for g in grouped) + 1
    matrix = np.empty((n, width))
    coefficients = np.zeros((width, m))
    if features:
        matrix[:, :len(features)] = np.column_stack(features)
        k, j, value = (np.array(x) for x in zip(*entries, strict=True))
        coefficients[k, j] = value
    k = len(features)
    for values, weight, group_of in grouped:
        matrix[:, k:k + values.shape[1]] = values
        coefficients[k + group_of, np.arange(m)] = weight
        k += values.shape[1]
    matrix[:, k] = 1.0
    coefficients[k] = const
    coefficients *= 100.0 / weights.total
    # Computed as positions × candidates and returned transposed (a Fortran-ordered n × m view): the
    # product is faster in that orientation (13 ms against 33 ms for 5,000 × 80 @ 80 × 1,000,
    # medians of 9, OpenBLAS) and it is the orientation the assignment solver wants (see
    # assignment._lsa_cost), like the eligibility matrix's.
    return (coefficients.T @ matrix.T).T


def _country_features(columns: CandidateColumns, positions: Sequence[Position], regions_of: Mapping[str, str],
                      weight: float, const: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """Country experience per distinct (host countries, regions) of the positions: 1 with experience
    in a host country, 0.5 with experience only in one of their regions, else 0. A position with
    neither takes the neutral value (added to ``const``; its group's feature is 0)."""
    index, held = columns.experience("countries")
    region_index: dict[str, int] = {}
    in_region = np.zeros((columns.n, len(set(regions_of[x] for x in index if x in regions_of))), dtype=bool)
    for country, col in index.items():
        if country in regions_of:
            in_region[:, region_index.setdefault(regions_of[country], len(region_index))] |= held[:, col]
    keys, group_of = _groups([(p.countries, p.regions) for p in positions])
    values = np.zeros((columns.n, len(keys)))
    for g, (countries, regions) in enumerate(keys):
        if not countries and not regions:
            const[group_of == g] += weight * NEUTRAL
            continue
        region_hit = in_region[:, [region_index[r] for r in regions if r in region_index]].any(axis=1)
        values[:, g] = np.where(region_hit, 0.5, 0.0)
        values[held[:, [index[c] for c in countries if c in index]].any(axis=1), g] = 1.0
    return values, weight, group_of


def _margin_features(columns: CandidateColumns, positions: Sequence[Position],
                     weights: Weights) -> tuple[np.ndarray, float, np.ndarray]:
    """The validity margin per distinct deployment end: the lowest over the listed qualifications of
    clip(months it outlasts the end / months for full marks, 0, 1); not held 0, not expiring 1."""
    ends, group_of = _groups([p.end_date.toordinal() for p in positions])
    scale = DAYS_PER_MONTH * weights.margin_full_at_months
    values = np.ones((columns.n, len(ends)))
    for code in weights.margin_qualifications:
        expiry = columns.expiry(code)
        held = np.clip((expiry[:, None] - np.array(ends, dtype=np.int64)[None, :]) / scale, 0.0, 1.0)
        held[expiry == NOT_HELD, :] = 0.0
        held[expiry == NO_EXPIRY, :] = 1.0
        np.minimum(values, held, out=values)
    return values, weights.weights["validity_margin"], group_of
