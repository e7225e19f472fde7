"""Search facts: one line of tokens per officer, intersected by the engine's full-text index.

Why: a roster search combining skills, languages, expertise and qualifications at 100,000 officers
must answer in well under 50 ms. Joining five tables per search does not (bench/roster.py);
intersecting posting lists in an inverted index does, and both engines have one: FTS5 on SQLite,
GIN over a tsvector on PostgreSQL (`roster/migrations/0004`).

Tokens (letters and digits only, so both engines' tokenisers keep each one whole):

    sk{skill}l{n}     the skill at level n or more (one token per level up to the officer's)
    la{language}l{n}  the language at CEFR n or more in speaking, reading and writing
    qu{type}          a confirmed qualification of this type (validity on a date is checked exactly)
    co{country}       country expertise, declared or from a secondment that took place
    re{region}        expertise in a country of this UN M49 region or subregion (see region_token)
    th{theme}         thematic expertise, declared or from a secondment that took place
    ge{gender}        the officer's gender
    po{pool}          the officer's pool

The facts are derived data: `refresh_search_facts` recomputes them from the records, and every
workflow that changes what they depend on calls it (officer saves and imports, qualification
decisions, secondment status changes, mission edits). `manage.py refresh_search_facts --check`
reports any officer whose stored facts differ from the records.
"""

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from .models import Officer, OfficerLanguage, OfficerSkill, Qualification

CHUNK = 5000  # officers per read: bounded memory for a full rebuild
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def skill_token(skill_id: int, level: int) -> str:
    return f"sk{skill_id}l{level}"


def language_token(language_id: int, level: int) -> str:
    return f"la{language_id}l{level}"


def qualification_token(type_id: int) -> str:
    return f"qu{type_id}"


def country_token(country_id: int) -> str:
    return f"co{country_id}"


@functools.lru_cache(maxsize=1024)  # a few dozen region names; the regex per call was 0.3 s of a 10,000-row import
def region_token(name: str) -> str:
    """`re` + the region's name in lower-case letters and digits ("Sub-Saharan Africa": resubsaharanafrica)."""
    return "re" + _NOT_ALNUM.sub("", name.lower())


def theme_token(theme_id: int) -> str:
    return f"th{theme_id}"


def gender_token(gender: str) -> str:
    return "ge" + _NOT_ALNUM.sub("", gender.lower())


def pool_token(pool_id: int) -> str:
    return f"po{pool_id}"


def facts_line(*, gender: str, pool_id: int, skills: Iterable[tuple[int, int]] = (),
               languages: Iterable[tuple[int, int, int, int]] = (), qualification_type_ids: Iterable[int] = (),
               countries: Iterable[tuple[int, str, str]] = (), themes: Iterable[int] = ()) -> str:
    """The facts of one officer as a sorted, space-separated line.

    skills: (skill id, level); languages: (language id, speaking, reading, writing); qualification
    types of confirmed qualifications; countries: (country id, region, subregion), declared and from
    mission history; themes: theme ids, declared and from mission history.
    """
    tokens = {gender_token(gender), pool_token(pool_id)}
    for skill_id, level in skills:
        tokens.update(skill_token(skill_id, n) for n in range(1, level + 1))
    for language_id, speaking, reading, writing in languages:
        tokens.update(language_token(language_id, n) for n in range(1, min(speaking, reading, writing) + 1))
    tokens.update(qualification_token(t) for t in qualification_type_ids)
    for country_id, region, subregion in countries:
        tokens.add(country_token(country_id))
        tokens.update(region_token(name) for name in (region, subregion) if name)
    tokens.update(theme_token(t) for t in themes)
    return " ".join(sorted(tokens))


# Mission history belongs to the secondments app, which the roster (a lower app) may not reach, not
# even through apps.get_model. That app registers where the history comes from when it starts
# (secondments/apps.py); docs/architecture.md.
_mission_history_source = None


def register_mission_history(source) -> None:
    """source(**officer_lookups) gives (officer id, mission id, country id, region, subregion, theme id)
    rows of the secondments that took place, for the officers the lookups select (officer_id__in=...)."""
    global _mission_history_source
    _mission_history_source = source


def mission_history(**officer_lookups):
    """Rows of the officers' mission history (see register_mission_history)."""
    if _mission_history_source is None:
        raise RuntimeError("No mission history source is registered; the secondments app registers it when it starts.")
    return _mission_history_source(**officer_lookups)


def _facts_of(officer_filter: dict) -> dict[int, tuple[str, str]]:
    """{officer id: (stored line, line computed from the records)} for the officers matching the filter."""
    through_countries = Officer.country_expertise.through
    through_themes = Officer.thematic_expertise.through
    # The same officers, seen from the related tables: id__in=[...] becomes officer_id__in=[...].
    related = {f"officer_{key}": value for key, value in officer_filter.items()}
    parts: dict[int, dict] = defaultdict(lambda: {"skills": [], "languages": [], "quals": set(),
                                                  "countries": set(), "themes": set()})
    for officer_id, skill_id, level in OfficerSkill.objects.filter(**related).values_list(
            "officer_id", "skill_id", "level"):
        parts[officer_id]["skills"].append((skill_id, level))
    for officer_id, *levels in OfficerLanguage.objects.filter(**related).values_list(
            "officer_id", "language_id", "speaking", "reading", "writing"):
        parts[officer_id]["languages"].append(tuple(levels))
    for officer_id, type_id in Qualification.objects.confirmed().filter(**related).values_list(
            "officer_id", "qualification_type_id").distinct():
        parts[officer_id]["quals"].add(type_id)
    for officer_id, *country in through_countries.objects.filter(**related).values_list(
            "officer_id", "country_id", "country__region", "country__subregion"):
        parts[officer_id]["countries"].add(tuple(country))
    for officer_id, theme_id in through_themes.objects.filter(**related).values_list("officer_id", "thematicarea_id"):
        parts[officer_id]["themes"].add(theme_id)
    for officer_id, _mission, *country, theme_id in mission_history(**related):
        if country[0] is not None:
            parts[officer_id]["countries"].add(tuple(country))
        if theme_id is not None:
            parts[officer_id]["themes"].add(theme_id)
    result = {}
    for officer_id, gender, pool_id, stored in Officer.objects.filter(**officer_filter).values_list(
            "id", "gender", "pool_id", "search_facts"):
        p = parts[officer_id]
        result[officer_id] = (stored, facts_line(
            gender=gender, pool_id=pool_id, skills=p["skills"], languages=p["languages"],
            qualification_type_ids=p["quals"], countries=p["countries"], themes=p["themes"]))
    return result


def _chunks(officer_ids: Iterable[int] | None):
    """Filters covering the given officers (None: all), CHUNK officers at a time."""
    if officer_ids is None:
        ids = list(Officer.objects.order_by("id").values_list("id", flat=True))
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            yield {"id__gte": part[0], "id__lte": part[-1]}
        return
    ids = sorted(set(officer_ids))
    for start in range(0, len(ids), CHUNK):
        yield {"id__in": ids[start:start + CHUNK]}


def refresh_search_facts(*, officer_ids: Iterable[int] | None = None) -> int:
    """Recompute the search facts of the given officers (None: all); returns how many changed.

    Steps: 1. lock and read the records of CHUNK officers at a time (skills, languages, confirmed
    qualifications, declared expertise, expertise from mission history); 2. build each line;
    3. write only the lines that differ (the engine's index follows: triggers on SQLite, the GIN
    index on PostgreSQL). Runs in the caller's transaction, or in its own; the officers' rows stay
    locked until it ends.
    """
    changed = 0
    with transaction.atomic():
        for officer_filter in _chunks(officer_ids):
            # Lock the officers first (PostgreSQL; SQLite has one writer at a time anyway): a workflow
            # changing the same officer concurrently then commits before these records are read.
            list(Officer.objects.select_for_update().filter(**officer_filter).values_list("id", flat=True))
            rows = [(line, officer_id) for officer_id, (stored, line) in _facts_of(officer_filter).items()
                    if stored != line]
            if rows:
                with connection.cursor() as cursor:
                    cursor.executemany("UPDATE roster_officer SET search_facts = %s WHERE id = %s", rows)
            changed += len(rows)
    return changed


def stale_search_facts(*, officer_ids: Iterable[int] | None = None) -> list[int]:
    """Officers whose stored facts differ from their records (should always be empty)."""
    stale = []
    for officer_filter in _chunks(officer_ids):
        stale += sorted(i for i, (stored, line) in _facts_of(officer_filter).items() if stored != line)
    return stale

