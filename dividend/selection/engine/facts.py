"""The plain facts the engine reads: a candidate, a position, and the dates they are compared on.

The app builds these from its models (roster officers, mission positions); the engine never sees a
model. Codes are the reference taxonomy's (skills, languages, qualification types, thematic areas,
ISO 3166 alpha-3 countries); levels are integers (skills 1–4, CEFR A1=1 … C2=6).

Restricted qualifications (medical fitness, security clearance) never enter as details: the app
answers the engine's yes/no questions ``(qualification, level, date) -> valid on that date``
(see :func:`~dividend.selection.engine.eligibility.restricted_questions`), so a rule set can be
evaluated for a viewer without need-to-know.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

#: Levels of the Common European Framework of Reference, as the roster stores them.
CEFR = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
CEFR_NAMES = {value: name for name, value in CEFR.items()}
SKILL_LEVEL_MAX = 4
CEFR_MAX = 6


@dataclass(frozen=True)
class Qualification:
    """A non-restricted qualification an officer holds; ``expires_on`` None: it does not expire."""

    expires_on: date | None = None
    level: str = ""


@dataclass(frozen=True)
class MissionRecord:
    """One earlier mission that took place (the app's mission history)."""

    countries: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    organisation: str = ""
    months: int = 0


#: ``(qualification code, level or "", date)``: the key of a restricted yes/no answer.
RestrictedQuestion = tuple[str, str, date]


@dataclass(frozen=True)
class Candidate:
    """What the engine knows of one officer.

    ``languages`` holds one CEFR level per language: the app passes the lowest of speaking, reading
    and writing. ``restricted`` holds only yes/no answers to :data:`RestrictedQuestion` keys; a missing
    answer counts as "not shown to be valid". ``misconduct`` is True when a substantiated misconduct
    finding (sexual exploitation and abuse included) from an earlier mission is on record; the engine
    never needs what it was.
    """

    id: Hashable
    date_of_birth: date | None = None
    service_start: date | None = None
    gender: str = ""
    pool: Hashable = ""
    skills: Mapping[str, int] = field(default_factory=dict)
    languages: Mapping[str, int] = field(default_factory=dict)
    qualifications: Mapping[str, Qualification] = field(default_factory=dict)
    certificates: frozenset[str] = frozenset()
    restricted: Mapping[RestrictedQuestion, bool] = field(default_factory=dict)
    misconduct: bool = False
    country_expertise: frozenset[str] = frozenset()
    thematic_expertise: frozenset[str] = frozenset()
    missions: tuple[MissionRecord, ...] = ()

    @property
    def experience_countries(self) -> frozenset[str]:
        """Declared country expertise and the host countries of earlier missions."""
        return self.country_expertise.union(*(m.countries for m in self.missions))

    @property
    def experience_themes(self) -> frozenset[str]:
        """Declared thematic expertise and the themes of earlier missions."""
        return self.thematic_expertise.union(*(m.themes for m in self.missions))


@dataclass(frozen=True)
class Position:
    """What the engine knows of one position of a call.

    ``skills``/``languages`` are the position's minimum levels; ``qualifications`` its required
    qualification types (valid on the deployment date); ``themes`` the mission's thematic areas and
    the position's own tags; ``countries`` the host countries and ``regions`` their regions.
    """

    id: Hashable
    deployment_date: date
    organisation: str = ""
    armed: bool = False
    duration_months: int = 12
    skills: Mapping[str, int] = field(default_factory=dict)
    languages: Mapping[str, int] = field(default_factory=dict)
    qualifications: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()

    @property
    def end_date(self) -> date:
        """The last day of the deployment's planned duration."""
        return add_months(self.deployment_date, self.duration_months)


@lru_cache(maxsize=4096)  # positions share a few dates; bulk scoring asks each position's end (1,000 calls)
def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_years(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on`` (an age, years of service); an anniversary counts on its day."""
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))
