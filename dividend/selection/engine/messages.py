"""Reasons as codes with parameters, and their English text.

The engine returns :class:`Reason` values, never sentences, so the app can translate them: each code's
English template below uses named ``%(param)s`` placeholders, the form gettext catalogues use; the
app keeps a table of the same codes wrapped in its translation function. Parameters are codes
(qualification, skill, language, certificate), ISO dates, numbers and level names; ``describe``
replaces codes by names when given a ``names`` mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


TEMPLATES = {
    # eligibility
    "not_applicable_armed": "Applies to armed positions only",
    "not_applicable_unarmed": "Applies to unarmed positions only",
    "qualification_valid": "%(qualification)s valid until %(expires_on)s, needed until %(needed_on)s",
    "qualification_no_expiry": "%(qualification)s held (does not expire)",
    "qualification_expires": "%(qualification)s expires on %(expires_on)s, needed until %(needed_on)s",
    "qualification_missing": "%(qualification)s not held, needed until %(needed_on)s",
    "restricted_valid": "%(qualification)s valid on %(needed_on)s: yes",
    "restricted_not_valid": "%(qualification)s valid on %(needed_on)s: no",
    "restricted_unanswered": "%(qualification)s valid on %(needed_on)s: not known",
    "restricted_level_valid": "%(qualification)s at level %(level)s valid on %(needed_on)s: yes",
    "restricted_level_not_valid": "%(qualification)s at level %(level)s valid on %(needed_on)s: no",
    "restricted_level_unanswered": "%(qualification)s at level %(level)s valid on %(needed_on)s: not known",
    "service_met": "%(years)s years of police service on %(on)s, at least %(min_years)s needed",
    "service_short": "%(years)s years of police service on %(on)s, at least %(min_years)s needed",
    "service_unknown": "Start of police service not recorded, at least %(min_years)s years needed",
    "language_met": "%(language)s at %(level)s, %(min_level)s needed",
    "language_short": "%(language)s at %(level)s, %(min_level)s needed",
    "language_missing": "%(language)s not recorded, %(min_level)s needed",
    "languages_short": "None of %(languages)s at %(min_level)s (best: %(best)s)",
    "languages_missing": "None of %(languages)s recorded, %(min_level)s needed",
    "skill_met": "%(skill)s at level %(level)s, level %(min_level)s needed",
    "skill_short": "%(skill)s at level %(level)s, level %(min_level)s needed",
    "skill_missing": "%(skill)s not recorded, level %(min_level)s needed",
    "age_met": "Age %(age)s on %(on)s, within the limits",
    "age_too_young": "Age %(age)s on %(on)s, at least %(min)s needed",
    "age_too_old": "Age %(age)s on %(on)s, at most %(max)s allowed",
    "age_unknown": "Date of birth not recorded",
    "certificate_present": "%(certificate)s present",
    "certificate_missing": "%(certificate)s missing",
    "no_misconduct": "No substantiated misconduct on record",
    "misconduct_on_record": "A substantiated misconduct finding is on record",
    "requirements_none": "The position sets no requirements of its own",
    # scoring
    "nothing_required": "The position requires none: neutral value",
    "skill_points": "%(skill)s at level %(level)s for level %(min_level)s: %(value)s",
    "language_points": "%(language)s at %(level)s for %(min_level)s: %(value)s",
    "country_match": "Experience in %(country)s (%(source)s)",
    "region_match": "Experience in the region %(region)s (%(source)s)",
    "no_country_match": "No experience in the host country or its region",
    "themes_matched": "%(matched)s of %(total)s themes: %(themes)s",
    "themes_none_matched": "None of the %(total)s themes",
    "missions_count": "%(count)s earlier missions, full value at %(full_at)s",
    "margin_months": "%(qualification)s outlasts the deployment by %(months)s months, full value at %(full_at)s",
    "margin_short": "%(qualification)s expires %(months)s months before the deployment ends",
    "margin_missing": "%(qualification)s not held",
    "margin_no_expiry": "Listed qualifications do not expire",
    "margin_none_listed": "No qualification listed for the margin: neutral value",
    # assignment
    "infeasible_constraints": "These constraints cannot all be met together: %(constraints)s "
                              "(dropping any one of them makes the call solvable)",
    "positions_without_candidates": "No eligible candidate for positions %(positions)s",
    "positions_fillable": "At most %(fillable)s of %(positions)s positions can be filled with eligible candidates",
}

#: What each assignment constraint key means (``pool_max:<pool>`` uses the pool's text).
CONSTRAINT_TEXTS = {
    "eligibility": "only eligible candidates",
    "one_each": "at most one position per officer and one officer per position",
    "fill_all": "every position filled",
    "pool_max": "a maximum for pool %(pool)s",
    "women_min_share": "a minimum share of women",
    "preferences": "the officers' stated preferences",
}


def describe_constraint(key: str) -> str:
    """The English name of a constraint key such as ``fill_all`` or ``pool_max:north``."""
    kind, _, pool = key.partition(":")
    return CONSTRAINT_TEXTS[kind] % {"pool": pool} if pool else CONSTRAINT_TEXTS[kind]

SOURCES = {"declared": "declared", "history": "mission history"}


def describe(reason: Reason, names: Mapping[str, str] | None = None) -> str:
    """The English sentence of a reason; ``names`` maps codes (skills, countries …) to display names."""
    names = names or {}
    params = {}
    for key, value in reason.params.items():
        if key == "source":
            value = SOURCES.get(value, value)
        elif key == "constraints" and isinstance(value, (list, tuple)):
            value = "; ".join(describe_constraint(v) for v in value)
        elif isinstance(value, (list, tuple)):
            value = ", ".join(names.get(str(v), str(v)) for v in value)
        elif isinstance(value, str):
            value = names.get(value, value)
        elif isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        params[key] = value
    return TEMPLATES[reason.code] % params
