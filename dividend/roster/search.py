"""Roster search: combinable filters, free text (FTS5 / tsvector), sorting and the crisis query.

The same functions serve the roster page, its exports, the API and the benchmark.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from .models import Officer, OfficerLanguage, OfficerSkill, Qualification, UnavailablePeriod, add_months

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "rank": ("rank__order", "last_name", "id"),
    "-rank": ("-rank__order", "last_name", "id"),
    "pool": ("pool__name", "last_name", "id"),
    "available": ("available_from", "last_name", "id"),
    "service_number": ("service_number", "id"),
}

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
        ts_query = " & ".join(f"{t.lower()}:*" for t in tokens)
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


def union_of(*querysets) -> RawSQL:
    """One `SELECT officer_id ... UNION SELECT officer_id ...` subquery.

    Each filter is a non-correlated `id IN (subquery)`: both engines evaluate it once and then
    probe, where a correlated EXISTS would run once per officer (100,000 times).
    """
    parts, params = [], []
    for queryset in querysets:
        sql, sql_params = queryset.order_by().query.sql_with_params()
        parts.append(sql)
        params.extend(sql_params)
    return RawSQL(" UNION ".join(parts), params)


def _declared(through, **lookups):
    return through.objects.filter(**lookups).values("officer_id")


@dataclass
class _Membership:
    """An "officer is in this set" filter with a rough selectivity (lower: fewer officers match)."""

    selectivity: int
    ids: object  # a values("officer_id") queryset or a RawSQL union
    exists: object = None  # the same test as a correlated EXISTS, where one can be written


# Rough shares of officers with each thing, from real rosters: almost everyone holds a passport and
# speaks English; few have a given skill at level 3–4 or expertise in a given country.
_COMMON_LANGUAGES = {"en"}
_COMMON_QUALIFICATIONS = {"passport", "driving_licence"}


def _memberships(query: RosterQuery) -> list[_Membership]:
    from dividend.reference.models import Language, QualificationType

    found = []
    for skill_id, level in query.skills:
        lookups = {"skill_id": skill_id, "level__gte": level}
        found.append(_Membership(10 - 2 * level, OfficerSkill.objects.filter(**lookups).values("officer_id"),
                                 Exists(OfficerSkill.objects.filter(officer=OuterRef("pk"), **lookups))))
    if query.languages:
        common = set(Language.objects.filter(code__in=_COMMON_LANGUAGES).values_list("id", flat=True))
        for language_id, level in query.languages:
            lookups = {"language_id": language_id, "speaking__gte": level, "reading__gte": level,
                       "writing__gte": level}
            found.append(_Membership(
                12 if language_id in common else 7, OfficerLanguage.objects.filter(**lookups).values("officer_id"),
                Exists(OfficerLanguage.objects.filter(officer=OuterRef("pk"), **lookups))))
    if query.qualifications:
        day = query.qualified_on or dt.date.today()
        common = set(QualificationType.objects.filter(code__in=_COMMON_QUALIFICATIONS).values_list("id", flat=True))
        for type_id in query.qualifications:
            valid = Qualification.objects.valid_on(day).filter(qualification_type_id=type_id)
            found.append(_Membership(12 if type_id in common else 8, valid.values("officer_id"),
                                     Exists(valid.filter(officer=OuterRef("pk")))))
    countries = Officer.country_expertise.through
    themes = Officer.thematic_expertise.through
    if query.countries:
        found.append(_Membership(1, union_of(
            _declared(countries, country_id__in=query.countries),
            Officer.secondment_history_ids(position__mission__host_countries__in=query.countries))))
    if query.themes:
        found.append(_Membership(2, union_of(
            _declared(themes, thematicarea_id__in=query.themes),
            Officer.secondment_history_ids(position__mission__thematic_areas__in=query.themes))))
    if query.region:
        found.append(_Membership(3, union_of(
            _declared(countries, country__region=query.region),
            _declared(countries, country__subregion=query.region),
            Officer.secondment_history_ids(position__mission__host_countries__region=query.region),
            Officer.secondment_history_ids(position__mission__host_countries__subregion=query.region))))
    return sorted(found, key=lambda m: m.selectivity)


def apply_query(queryset, query: RosterQuery, memberships: list[_Membership] | None = None):
    """Filter an officer queryset (already limited to what the user may see) by a RosterQuery.

    Query shape, for 100,000 officers: every set filter is a non-correlated `id IN (subquery)`.
    On SQLite only the most selective one stays IN (evaluated once, it drives the search) and the
    others become correlated EXISTS probes on the few officers left; sets that cannot be probed
    (unions of declared and mission expertise) stay IN.
    """
    qs = full_text_filter(queryset, query.text)
    # PostgreSQL plans IN subqueries as hash semi-joins and does best with all of them (measured:
    # bench/roster.py); SQLite evaluates one IN list and is fastest probing the rest.
    probe = connection.vendor == "sqlite"
    driven = bool(text_tokens(query.text)) and probe
    for membership in _memberships(query) if memberships is None else memberships:
        if driven and membership.exists is not None:
            qs = qs.filter(membership.exists)
        else:
            qs = qs.filter(id__in=membership.ids)
            driven = probe
    window = query.availability_window()
    if window:
        start, end = window
        clash = UnavailablePeriod.objects.filter(start__lte=end, end__gte=start)
        qs = qs.filter(available_from__lte=start)
        if driven:
            qs = qs.exclude(Exists(clash.filter(officer=OuterRef("pk"))))
        else:
            qs = qs.exclude(id__in=clash.values("officer_id"))
        if query.min_months:
            qs = qs.filter(Q(max_duration_months__isnull=True) | Q(max_duration_months__gte=query.min_months))
    if query.pools:
        qs = qs.filter(pool_id__in=query.pools)
    if query.genders:
        qs = qs.filter(gender__in=query.genders)
    if query.min_rank_order:
        qs = qs.filter(rank__order__gte=query.min_rank_order)
    return qs.order_by(*SORTS.get(query.sort, SORTS["name"]))


def search_officers(*, user, query: RosterQuery, memberships: list[_Membership] | None = None):
    """The officers `user` may see that match `query`, sorted, with pool and rank loaded."""
    return apply_query(Officer.objects.visible_to(user), query, memberships).select_related("pool", "rank")


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
    scored = [ReadinessScore(o, _readiness_parts(o, request, departure, history.get(o.pk, {})))
              for o in officers]
    scored.sort(key=lambda s: (-s.total, s.officer.last_name, s.officer.pk))
    return scored[:CRISIS_LIMIT], total


def _mission_history_facts(officer_ids):
    from django.apps import apps

    secondment = apps.get_model("deployments", "Secondment")
    facts: dict[int, dict] = {}
    rows = secondment.objects.history().filter(officer_id__in=officer_ids).values_list(
        "officer_id", "position__mission__host_countries", "position__mission__host_countries__region",
        "position__mission__host_countries__subregion", "position__mission__thematic_areas", "position__mission_id")
    for officer_id, country_id, region, subregion, theme_id, mission_id in rows:
        entry = facts.setdefault(officer_id, {"countries": set(), "regions": set(), "themes": set(),
                                              "missions": set()})
        entry["countries"].add(country_id)
        entry["regions"].update({region, subregion})
        entry["themes"].add(theme_id)
        entry["missions"].add(mission_id)
    return facts


def _readiness_parts(officer, request: CrisisRequest, departure: dt.date, history: dict) -> dict[str, float]:
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
    expiries = [q.expires_on for q in officer.qualifications.all() if q.is_valid_on(departure) and q.expires_on]
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


def reads_matches_once(query: RosterQuery, memberships: list[_Membership]) -> bool:
    """Whether the page is cheaper read in one pass over the matches (few of them expected).

    A selective filter (text, pool, expertise, a skill, an uncommon language or qualification)
    leaves few officers: reading them all once beats counting them and then sorting them. Without
    one, matches run into tens of thousands, and counting plus reading one page in index order wins
    (measured: bench/roster.py).
    """
    if text_tokens(query.text) or query.pools:
        return True
    return any(m.selectivity <= 10 for m in memberships)


def roster_page(*, user, query: RosterQuery, number: int = 1, page_size: int = 50) -> RosterPage:
    """One page of the search, its total and per-gender counts.

    Steps: 1. with a selective filter, read the id and gender of every match in order (one pass),
    count in Python and load the page's officers by id; 2. otherwise count per gender (the total
    is their sum) and read the page with LIMIT/OFFSET. A page past the end shows the last page.
    """
    memberships = _memberships(query)  # built once: it looks up which languages and qualifications are common
    officers = search_officers(user=user, query=query, memberships=memberships)
    if reads_matches_once(query, memberships):
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
    by_gender = list(officers.order_by().values("gender").annotate(n=Count("id")).order_by("gender"))
    total = sum(row["n"] for row in by_gender)
    number = min(max(number, 1), max(1, -(-total // page_size)))
    start = (number - 1) * page_size
    return RosterPage(list(officers[start:start + page_size]), total, by_gender, number, page_size)
