"""Parsing the compact text forms of an officer's related records, shared by the form and the import.

    skills          criminal_investigation:3; training:2
    languages       en:C1; fr:B1/B2/A2          (one level, or speaking/reading/writing)
    qualifications  passport:2020-01-01:2030-01-01; security_clearance:2022-01-01:2027-01-01:secret
    countries       SRB; XKX                    (ISO 3166 alpha-3)
    themes          organised_crime; cybercrime
"""

import datetime as dt
from functools import cached_property

from dividend.pools.models import Pool
from dividend.reference.models import (
    CEFR_BY_NAME,
    CEFR_BY_VALUE,
    Country,
    Language,
    QualificationType,
    Rank,
    Skill,
    ThematicArea,
)

from .models import excess_restricted_data


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _date(text: str, what: str):
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{what}: '{text}' is not a date (YYYY-MM-DD)") from error


class RelatedValues:
    """Reference records by code, each table read once when first needed; each *_of method raises
    ValueError with a clear reason. One instance serves one user's request (an import's rows)."""

    def __init__(self):
        self._choices: dict[str, dict] = {}

    def choices(self, name: str, queryset) -> dict:
        """{id: object} of a form field's queryset, read the first time `name` is asked for.

        Why: a form validating each of 10,000 import rows would otherwise read its choices per row.
        """
        if name not in self._choices:
            self._choices[name] = {obj.pk: obj for obj in queryset}
        return self._choices[name]

    @cached_property
    def pools(self):
        return {p.code: p for p in Pool.objects.all()}

    @cached_property
    def ranks(self):
        return {r.code: r for r in Rank.objects.all()}

    @cached_property
    def skills(self):
        return {s.code: s for s in Skill.objects.all()}

    @cached_property
    def languages(self):
        return {lang.code: lang for lang in Language.objects.all()}

    @cached_property
    def qualification_types(self):
        return {q.code: q for q in QualificationType.objects.all()}

    @cached_property
    def countries(self):
        return {c.iso3: c for c in Country.objects.all()}

    @cached_property
    def themes(self):
        return {t.code: t for t in ThematicArea.objects.all()}

    def skills_of(self, text):
        result = []
        for part in _split(text):
            code, _, level = part.partition(":")
            if code not in self.skills:
                raise ValueError(f"skills: unknown skill '{code}'")
            if level not in {"1", "2", "3", "4"}:
                raise ValueError(f"skills: level of '{code}' must be 1–4, not '{level}'")
            result.append((self.skills[code], int(level)))
        if len({s.pk for s, _ in result}) != len(result):
            raise ValueError("skills: a skill is listed twice")
        return result

    def languages_of(self, text):
        result = []
        for part in _split(text):
            code, _, levels = part.partition(":")
            if code not in self.languages:
                raise ValueError(f"languages: unknown language code '{code}'")
            parts = [p.strip().upper() for p in levels.split("/")] if levels else []
            if len(parts) == 1:
                parts = parts * 3
            if len(parts) != 3 or any(p not in CEFR_BY_NAME for p in parts):
                raise ValueError(f"languages: '{part}' needs a CEFR level (A1–C2), or speaking/reading/writing")
            result.append((self.languages[code], *[CEFR_BY_NAME[p] for p in parts]))
        return result

    def qualifications_of(self, text):
        result = []
        for part in _split(text):
            code, *rest = [p.strip() for p in part.split(":")]
            if code not in self.qualification_types:
                raise ValueError(f"qualifications: unknown qualification '{code}'")
            rest += [""] * (3 - len(rest))
            issued = _date(rest[0], f"qualifications: issue date of {code}")
            expires = _date(rest[1], f"qualifications: expiry date of {code}")
            if issued and expires and expires < issued:
                raise ValueError(f"qualifications: {code} expires before it was issued")
            if any(q_type.code == code and day == issued for q_type, day, _, _ in result):
                raise ValueError(f"qualifications: {code} issued on {issued or 'no date'} is listed twice")
            q_type, level = self.qualification_types[code], rest[2]
            level = level.lower() if q_type.restricted else level
            problem = excess_restricted_data(q_type, level=level, reference="").get("level")
            if problem:
                raise ValueError(f"qualifications: {code}: {problem}")
            result.append((q_type, issued, expires, level))
        return result

    def countries_of(self, text):
        unknown = [c for c in _split(text) if c.upper() not in self.countries]
        if unknown:
            raise ValueError(f"country_expertise: unknown ISO 3166 alpha-3 code(s) {', '.join(unknown)}")
        return [self.countries[c.upper()] for c in _split(text)]

    def themes_of(self, text):
        unknown = [t for t in _split(text) if t not in self.themes]
        if unknown:
            raise ValueError(f"thematic_expertise: unknown theme(s) {', '.join(unknown)}")
        return [self.themes[t] for t in _split(text)]


def skills_text(officer) -> str:
    return "; ".join(f"{s.skill.code}:{s.level}" for s in officer.skills.select_related("skill"))


def languages_text(officer) -> str:
    return "; ".join(
        f"{lang.language.code}:{CEFR_BY_VALUE[lang.speaking]}/{CEFR_BY_VALUE[lang.reading]}/{CEFR_BY_VALUE[lang.writing]}"
        for lang in officer.languages.select_related("language"))
