"""Roster search: combinable filters, free text (FTS5 / tsvector), sorting and the crisis query.

The same functions serve the roster page, its exports, the API and the benchmark.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import translation

from dividend.common.collation import collated, collation_name, rules_for, sort_key

from . import access, facts
from .models import GENDER_CHOICES, Officer, Qualification, UnavailablePeriod, add_months, strip_diacritics

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "rank": ("rank__order", "last_name", "id"),
    "-rank": ("-rank__order", "last_name", "id"),
    "pool": ("pool__name", "last_name", "id"),
    "available": ("available_from", "last_name", "id"),
    "service_number": ("service_number", "id"),
}

# Name columns sort by the rules of the user's language (common.collation), through an index in
# the root order on both engines (roster/migrations/0010).
NAME_FIELDS = {"last_name", "first_name"}


def name_ordering(path: str = "") -> list:
    """order_by arguments for officers by last then first name in the rules of the active language
    (`path`: the officer's relation from another model, "officer__")."""
    return [collated(f"{path}last_name"), collated(f"{path}first_name")]


def sort_order(sort: str) -> list:
    """The order_by arguments of a sort, names collated for the active language."""
    return [collated(key.lstrip("-"), descending=key.startswith("-")) if key.lstrip("-") in NAME_FIELDS else key
            for key in SORTS.get(sort, SORTS["name"])]


_TOKEN = re.compile(r"[\w]+", re.UNICODE)


def text_tokens(text: str) -> list[str]:
    """Words of a free-text query; everything else (quotes, operators) is dropped on purpose."""
    return _TOKEN.findall(text or "")[:10]


def full_text_filter(queryset, text: str):
    """Officers whose search document contains every word of `text` as a prefix."""
    tokens = text_tokens(text)
    if not tokens:
        return queryset
    if connection.vendor == "postgresql":
        # Words without diacritics: documents hold both spellings (roster.models.searchable_text).
        ts_query = " & ".join(f"{strip_diacritics(t).lower()}:*" for t in tokens)
        # A condition on the row itself (not `id IN (self-join)`), so the planner sees the GIN index
        # and its selectivity instead of recomputing to_tsvector along the name index.
        return queryset.filter(RawSQL(
            "to_tsvector('simple', roster_officer.search_document) @@ to_tsquery('simple', %s)", [ts_query],
            output_field=BooleanField()))
    if connection.vendor == "sqlite":
        fts_query = " AND ".join(f'"{t}"*' for t in tokens)
        return queryset.filter(id__in=RawSQL(
            "SELECT rowid FROM roster_officer_fts WHERE roster_officer_fts MATCH %s", [fts_query]))
    condition = Q()
    for token in tokens:
        condition &= Q(search_document__icontains=token)
    return queryset.filter(condition)


@dataclass
class RosterQuery:
    """A roster search. Every field is optional; filters combine with AND."""

    text: str = ""
    skills: list[tuple[int, int]] = field(default_factory=list)  # (skill id, minimum level), all required
    languages: list[tuple[int, int]] = field(default_factory=list)  # (language id, minimum CEFR 1–6)
    countries: list[int] = field(default_factory=list)  # expertise in any of these (declared or from missions)
    region: str = ""  # expertise in a country of this UNSD region or subregion
    themes: list[int] = field(default_factory=list)  # thematic expertise in any of these
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    min_months: int | None = None
    available_since: dt.date | None = None  # availability began on or after this day, up to today
    qualifications: list[int] = field(default_factory=list)  # types that must be valid on qualified_on
    qualified_on: dt.date | None = None
    pools: list[int] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)
    min_rank_order: int | None = None
    sort: str = "name"

    def availability_window(self) -> tuple[dt.date, dt.date] | None:
        """The period an officer must be free: [from, from + N months], or [from, to] without N."""
        if self.available_from is None:
            return None
        if self.min_months:
            return self.available_from, add_months(self.available_from, self.min_months)
        return self.available_from, self.available_to or self.available_from


def fact_groups(query: RosterQuery) -> list[list[str]]:
    """The query's set filters as search facts (roster.facts): every group must match, any token in it.

    Qualification types, pool and gender are added only to narrow another filter: alone, the
    officer table's columns and the valid-qualification list serve them better. A qualification's
    token only says the officer holds one of that type; its validity on the day is checked exactly
    afterwards (apply_query).
    """
    groups = [[facts.skill_token(skill_id, level)] for skill_id, level in query.skills]
    groups += [[facts.language_token(language_id, level)] for language_id, level in query.languages]
    if query.countries:
        groups.append([facts.country_token(country_id) for country_id in query.countries])
    if query.themes:
        groups.append([facts.theme_token(theme_id) for theme_id in query.themes])
    if query.region:
        groups.append([facts.region_token(query.region)])
    if groups:
        groups += [[facts.qualification_token(type_id)] for type_id in query.qualifications]
        if query.pools:
            groups.append([facts.pool_token(pool_id) for pool_id in query.pools])
        if query.genders:
            groups.append([facts.gender_token(gender) for gender in query.genders])
    return groups


def facts_filter(queryset, groups: list[list[str]], *, dense: bool = False):
    """Officers whose search facts match every group (the engine's full-text index intersects them).

    `dense` (SQLite): many officers match, so the page is found faster by walking the sort's index
    and checking each officer against the matches than by reading and sorting every match.
    """
    if not groups:
        return queryset
    if connection.vendor == "postgresql":
        ts_query = " & ".join("(" + " | ".join(group) + ")" for group in groups)
        return queryset.filter(RawSQL(
            "to_tsvector('simple', roster_officer.search_facts) @@ to_tsquery('simple', %s)", [ts_query],
            output_field=BooleanField()))
    if connection.vendor == "sqlite":
        fts_query = " AND ".join("(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in groups)
        if dense:
            # The unary + keeps SQLite from driving the query by the matches' rowids.
            return queryset.filter(RawSQL(
                "+roster_officer.id IN (SELECT rowid FROM roster_officer_facts WHERE roster_officer_facts MATCH %s)",
                [fts_query], output_field=BooleanField()))
        return queryset.filter(id__in=RawSQL(
            "SELECT rowid FROM roster_officer_facts WHERE roster_officer_facts MATCH %s", [fts_query]))
    for group in groups:
        alternatives = Q()
        for token in group:
            alternatives |= Q(search_facts__regex=rf"(^| ){token}( |$)")
        queryset = queryset.filter(alternatives)
    return queryset


# Rough shares of officers with each thing, from real rosters: almost everyone holds a passport and
# speaks English; few have a given skill at level 3–4 or expertise in a given country.
_COMMON_LANGUAGES = {"en"}
_COMMON_QUALIFICATIONS = {"passport", "driving_licence"}


def is_selective(query: RosterQuery) -> bool:
    """Whether the search should leave few officers: text, pool, a skill, expertise, or an uncommon
    language or qualification (English or a passport alone leave most of the roster)."""
    from dividend.reference.models import Language, QualificationType

    if text_tokens(query.text) or query.pools or query.skills or query.countries or query.themes or query.region:
        return True
    if query.languages and Language.objects.filter(
            id__in=[language_id for language_id, _ in query.languages]).exclude(code__in=_COMMON_LANGUAGES).exists():
        return True
    return bool(query.qualifications) and QualificationType.objects.filter(
        id__in=query.qualifications).exclude(code__in=_COMMON_QUALIFICATIONS).exists()


def apply_query(queryset, query: RosterQuery, *, dense: bool = False):
    """Filter an officer queryset (already limited to what the user may see) by a RosterQuery.

    Query shape: free text and the set filters are each one match in the engine's full-text index
    (the text document and the search facts), which leaves few officers; what depends on a date
    (qualification validity, unavailable periods) is then probed for those officers only
    (measured: bench/roster.py). `dense`: see facts_filter.
    """
    groups = fact_groups(query)
    qs = facts_filter(full_text_filter(queryset, query.text), groups, dense=dense)
    # Officers already narrowed (text, facts) are probed one by one; without that, the officers
    # holding a valid qualification are listed once (evaluated once, both engines then probe it).
    narrowed = bool(groups or text_tokens(query.text))
    day = query.qualified_on or dt.date.today()
    for type_id in query.qualifications:
        valid = Qualification.objects.valid_on(day).filter(qualification_type_id=type_id)
        if narrowed or dense:  # dense: walking the sort's index, each officer is probed (as in facts_filter)
            qs = qs.filter(Exists(valid.filter(officer=OuterRef("pk"))))
        else:
            qs = qs.filter(id__in=valid.values("officer_id"))
            narrowed = connection.vendor == "sqlite"  # PostgreSQL hash-joins every list instead
    window = query.availability_window()
    if window:
        start, end = window
        clash = UnavailablePeriod.objects.filter(start__lte=end, end__gte=start)
        qs = qs.filter(available_from__lte=start).exclude(Exists(clash.filter(officer=OuterRef("pk"))))
        if query.min_months:
            qs = qs.filter(Q(max_duration_months__isnull=True) | Q(max_duration_months__gte=query.min_months))
    if query.available_since:
        qs = qs.newly_available(since=query.available_since, today=dt.date.today())
    if query.pools:
        qs = qs.filter(pool_id__in=query.pools)
    if query.genders:
        qs = qs.filter(gender__in=query.genders)
    if query.min_rank_order:
        qs = qs.filter(rank__order__gte=query.min_rank_order)
    return qs.order_by(*sort_order(query.sort))


def search_officers(*, user, query: RosterQuery):
    """The officers `user` may see that match `query`, sorted, with pool and rank loaded."""
    return apply_query(Officer.objects.visible_to(user), query).select_related("pool", "rank")


# --- Crisis query: "who can deploy within N days for X" -------------------------------------------

PASSPORT_MARGIN_MONTHS = 6
CRISIS_LIMIT = 200


@dataclass
class CrisisRequest:
    within_days: int
    duration_months: int
    theme_id: int | None = None
    country_id: int | None = None
    region: str = ""
    skill_id: int | None = None
    language_id: int | None = None
    language_level: int | None = None
    required_qualification_ids: list[int] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def departure(self) -> dt.date:
        return self.today + dt.timedelta(days=self.within_days)


@dataclass
class ReadinessScore:
    """A ready-to-deploy score out of 100, with its parts shown to the coordinator."""

    officer: Officer
    parts: dict[str, float]

    @property
    def total(self) -> float:
        return round(sum(self.parts.values()), 1)


def crisis_candidates(*, user, request: CrisisRequest) -> tuple[list[ReadinessScore], int]:
    """Officers who can deploy by the departure date for the duration, best first.

    Steps: 1. hard conditions in the database (available by departure and free for the duration,
    passport valid 6 months beyond the return, required qualifications valid on departure, the
    requested expertise, skill or language); 2. score each candidate from its parts; 3. sort.
    Returns the top candidates and how many met the hard conditions.
    """
    departure = request.departure
    back = add_months(departure, request.duration_months)
    query = RosterQuery(available_from=departure, min_months=request.duration_months)
    if request.country_id:
        query.countries = [request.country_id]
    if request.region:
        query.region = request.region
    if request.theme_id:
        query.themes = [request.theme_id]
    if request.skill_id:
        query.skills = [(request.skill_id, 2)]
    if request.language_id:
        query.languages = [(request.language_id, request.language_level or 3)]
    qs = apply_query(Officer.objects.visible_to(user), query)
    passport_until = add_months(back, PASSPORT_MARGIN_MONTHS)
    qs = qs.filter(id__in=Qualification.objects.valid_on(departure).filter(
        qualification_type__code="passport", expires_on__gte=passport_until).values("officer_id"))
    for type_id in request.required_qualification_ids:
        qs = qs.filter(id__in=Qualification.objects.valid_on(departure).filter(
            qualification_type_id=type_id).values("officer_id"))
    total = qs.count()
    officers = list(
        qs.select_related("pool", "rank").prefetch_related("skills", "languages", "country_expertise",
                                                           "thematic_expertise", "qualifications__qualification_type",
                                                           "languages__language")
        [:2000]
    )
    history = _mission_history_facts([o.pk for o in officers])
    scored = [ReadinessScore(o, _readiness_parts(o, request, departure, history.get(o.pk, {}),
                                                 restricted_ok=access.can_see_restricted(user, o)))
              for o in officers]
    rules = rules_for(translation.get_language())
    scored.sort(key=lambda s: (-s.total, sort_key(s.officer.last_name, rules), s.officer.pk))
    return scored[:CRISIS_LIMIT], total


def _mission_history_facts(officer_ids):
    rows = facts.mission_history(officer_id__in=officer_ids)
    history: dict[int, dict] = {}
    for officer_id, mission_id, country_id, region, subregion, theme_id in rows:
        entry = history.setdefault(officer_id, {"countries": set(), "regions": set(), "themes": set(),
                                                "missions": set()})
        entry["countries"].add(country_id)
        entry["regions"].update({region, subregion})
        entry["themes"].add(theme_id)
        entry["missions"].add(mission_id)
    return history


def _readiness_parts(officer, request: CrisisRequest, departure: dt.date, history: dict, *,
                     restricted_ok: bool = False) -> dict[str, float]:
    """Parts of the score. Weights: expertise 30, skill 20, mission experience 20, language 15,
    readiness margin 15 (how early the officer is free and how much qualification validity is left)."""
    expertise = 0.0
    if request.theme_id:
        if request.theme_id in history.get("themes", set()):
            expertise = 30.0
        elif any(t.pk == request.theme_id for t in officer.thematic_expertise.all()):
            expertise = 20.0
    if request.country_id:
        if request.country_id in history.get("countries", set()):
            expertise = max(expertise, 30.0)
        elif any(c.pk == request.country_id for c in officer.country_expertise.all()):
            expertise = max(expertise, 20.0)
    if request.region:
        if request.region in history.get("regions", set()):
            expertise = max(expertise, 25.0)
        elif any(request.region in (c.region, c.subregion) for c in officer.country_expertise.all()):
            expertise = max(expertise, 15.0)
    skill = 0.0
    if request.skill_id:
        level = max((s.level for s in officer.skills.all() if s.skill_id == request.skill_id), default=0)
        skill = 20.0 * level / 4
    else:
        best = max((s.level for s in officer.skills.all()), default=0)
        skill = 10.0 * best / 4
    experience = min(len(history.get("missions", set())), 2) * 10.0
    language = 0.0
    languages = list(officer.languages.all())
    if request.language_id:
        level = max((lang.overall for lang in languages if lang.language_id == request.language_id), default=0)
        language = 15.0 * level / 6
    else:
        english = max((lang.overall for lang in languages if lang.language.code == "en"), default=0)
        language = 15.0 * english / 6
    lead_days = (departure - officer.available_from).days if officer.available_from else 0
    free_early = 7.5 * min(max(lead_days, 0), 90) / 90
    # Medical and clearance expiries count only for a viewer with need-to-know: for anyone else the
    # score would let them infer the hidden dates. For them a restricted qualification counts at most
    # as the yes/no "valid on departure" of a required-qualification condition.
    expiries = [q.expires_on for q in officer.qualifications.all()
                if q.is_valid_on(departure) and q.expires_on
                and (restricted_ok or not q.qualification_type.restricted)]
    margin_days = (min(expiries) - departure).days if expiries else 365
    validity = 7.5 * min(max(margin_days, 0), 365) / 365
    return {
        "expertise": round(expertise, 1),
        "skill": round(skill, 1),
        "mission experience": round(experience, 1),
        "language": round(language, 1),
        "readiness margin": round(free_early + validity, 1),
    }


# --- One page of results with its counts -------------------------------------------------------------

@dataclass
class RosterPage:
    """What the roster page shows: one page of officers, the total, and the total per gender."""

    officers: list
    total: int
    by_gender: list[dict]
    number: int
    page_size: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def roster_page(*, user, query: RosterQuery, number: int = 1, page_size: int = 50) -> RosterPage:
    """One page of the search, its total and per-gender counts, all exact.

    Steps: 1. on SQLite, with a sort the officer table has an index for, and filters that may
    leave many matches (set filters alone, columns, qualifications): count per gender, through
    the facts index when the facts express the whole search (set filters, pools, genders, and a
    user who sees every officer: no officer row is read), else with GROUP BY over indexes that hold
    the gender with the filtered columns; then read the page with LIMIT/OFFSET, walking the sort's
    index when many officers match; 2. otherwise, with a selective filter (few matches; on
    PostgreSQL not qualification types alone, see _qualifications_alone), read the id and gender
    of every match in order (one pass), count in Python and load the page's officers by id (on
    PostgreSQL the server counts and picks the page's ids in the same pass);
    3. otherwise (tens of thousands of matches) count per gender (the total is their sum)
    and read the page with LIMIT/OFFSET in index order (measured: bench/roster.py). A page past the
    end shows the last page.
    """
    visible = Officer.objects.visible_to(user)
    officers = apply_query(visible, query).select_related("pool", "rank")
    groups = fact_groups(query)
    facts_count = bool(groups) and not visible.query.where and _facts_say_everything(query)
    # Text, set filters or pools with other filters leave few matches: step 2 reads them in one pass.
    if connection.vendor == "sqlite" and query.sort in _SORTS_WITH_INDEX and (
            facts_count or not (groups or text_tokens(query.text) or query.pools)):
        if facts_count:
            by_gender = _gender_counts_from_facts(groups, query.genders)
        else:
            by_gender = list(officers.order_by().values("gender").annotate(n=Count("id")).order_by("gender"))
        if sum(row["n"] for row in by_gender) * _DENSE_SHARE >= _roster_size_bound():
            officers = apply_query(visible, query, dense=True).select_related("pool", "rank")
    elif is_selective(query) and not _qualifications_alone(query):
        if connection.vendor == "postgresql":
            return _selective_page_postgresql(officers, query.sort, number, page_size)
        matches = list(officers.values_list("id", "gender"))
        genders: dict[str, int] = {}
        for _, gender in matches:
            genders[gender] = genders.get(gender, 0) + 1
        total = len(matches)
        number = min(max(number, 1), max(1, -(-total // page_size)))
        start = (number - 1) * page_size
        ids = [officer_id for officer_id, _ in matches[start:start + page_size]]
        loaded = Officer.objects.select_related("pool", "rank").in_bulk(ids)
        return RosterPage([loaded[i] for i in ids], total,
                          [{"gender": g, "n": n} for g, n in sorted(genders.items())], number, page_size)
    else:
        by_gender = list(officers.order_by().values("gender").annotate(n=Count("id")).order_by("gender"))
    total = sum(row["n"] for row in by_gender)
    number = min(max(number, 1), max(1, -(-total // page_size)))
    start = (number - 1) * page_size
    return RosterPage(list(officers[start:start + page_size]), total, by_gender, number, page_size)


def _selective_page_postgresql(officers, sort: str, number: int, page_size: int) -> RosterPage:
    """Step 2 on PostgreSQL: the matches are read once, into a materialised CTE, for both the
    per-gender counts and the page (a top-N sort): only the counts and the page's ids leave the
    server, and the matches are not sorted in full."""
    keys = SORTS.get(sort, SORTS["name"])
    # The CTE's columns: id, gender, then each sort key other than id (sort keys may join rank or pool).
    columns = [key.lstrip("-") for key in keys if key.lstrip("-") != "id"]
    sql, params = officers.order_by().values_list("id", "gender", *columns).query.sql_with_params()
    names = ["id", "gender"] + [f"k{i}" for i in range(len(columns))]
    collation = connection.ops.quote_name(collation_name())
    order = ", ".join(
        ("id" if key.lstrip("-") == "id" else f"k{columns.index(key.lstrip('-'))}")
        + (f" COLLATE {collation}" if key.lstrip("-") in NAME_FIELDS else "")
        + (" DESC" if key.startswith("-") else " ASC") for key in keys)

    def run(start: int):
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m({', '.join(names)}) AS MATERIALIZED ({sql}) "  # noqa: S608 - SQL that Django compiled from a queryset, column names from the SORTS whitelist, values bound # nosec B608
                "SELECT gender, count(*), NULL FROM m GROUP BY gender "
                f"UNION ALL (SELECT NULL, NULL, id FROM m ORDER BY {order} LIMIT %s OFFSET %s)",
                [*params, page_size, start])
            return cursor.fetchall()

    number = max(number, 1)
    rows = run((number - 1) * page_size)
    total = sum(n for gender, n, _ in rows if gender is not None)
    last = max(1, -(-total // page_size))
    if number > last:  # past the end: the last page
        number = last
        rows = run((number - 1) * page_size)
    by_gender = sorted(({"gender": gender, "n": n} for gender, n, _ in rows if gender is not None),
                       key=lambda row: row["gender"])
    ids = [officer_id for gender, _, officer_id in rows if gender is None]
    loaded = Officer.objects.select_related("pool", "rank").in_bulk(ids)
    return RosterPage([loaded[i] for i in ids], total, by_gender, number, page_size)


def _qualifications_alone(query: RosterQuery) -> bool:
    """Whether PostgreSQL should count per gender and read the page with LIMIT although the search
    is selective: qualification types (and genders) only. Their valid holders are thousands; their
    ids join the (id, gender) index for the counts, and walking the sort's index probes each officer
    for the page, instead of reading and sorting every match."""
    return (connection.vendor == "postgresql" and bool(query.qualifications)
            and query == RosterQuery(qualifications=query.qualifications, qualified_on=query.qualified_on,
                                     genders=query.genders, sort=query.sort))


# Sorts the officer table has an index for, and the share of the roster (1 in _DENSE_SHARE) from
# which walking that index finds a page sooner than sorting every match: at 1 in 20 a page of 50
# is found within about 1,000 officers of the index.
_SORTS_WITH_INDEX = {"name", "-name", "available"}
_DENSE_SHARE = 20


def _roster_size_bound() -> int:
    """The highest officer id: at least the number of officers, read from the end of the primary key."""
    return Officer.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _facts_say_everything(query: RosterQuery) -> bool:
    """Whether the search facts express every filter of the query (no text, date or rank)."""
    return not (text_tokens(query.text) or query.qualifications or query.availability_window()
                or query.available_since or query.min_rank_order)


# Most officers of a police roster are men: their count is the total less the others, so the facts
# index is read for the smaller groups only (exact for any distribution).
_GENDER_BY_SUBTRACTION = "male"


def _gender_counts_from_facts(groups: list[list[str]], genders: list[str]) -> list[dict]:
    """[{"gender", "n"}] of the officers whose facts match the groups, counted in SQLite's FTS5 index.

    Every officer's facts hold exactly one gender token, so the counts per gender add up to the total.
    """
    def count(extra: list[list[str]]) -> int:
        fts_query = " AND ".join("(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in groups + extra)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM roster_officer_facts WHERE roster_officer_facts MATCH %s", [fts_query])
            return cursor.fetchone()[0]

    candidates = genders or [value for value, _ in GENDER_CHOICES]
    if len(candidates) == 1:
        counts = {candidates[0]: count([])}
    else:
        counts = {g: count([[facts.gender_token(g)]]) for g in candidates if g != _GENDER_BY_SUBTRACTION}
        if _GENDER_BY_SUBTRACTION in candidates:
            counts[_GENDER_BY_SUBTRACTION] = count([]) - sum(counts.values())
    return [{"gender": g, "n": n} for g, n in sorted(counts.items()) if n]
