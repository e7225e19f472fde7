"""Roster search equals a brute-force Python filter over the same officers (hypothesis)."""

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.pools.models import Role
from dividend.reference.models import Country, Language, QualificationType, Skill, ThematicArea
from dividend.roster.models import Officer, UnavailablePeriod, add_months
from dividend.roster.search import RosterQuery, apply_query, search_officers
from dividend.secondments.models import Secondment

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db

SKILLS = ["criminal_investigation", "training", "cybercrime", "border_management"]
LANGS = ["en", "fr", "de"]
COUNTRIES = ["SRB", "MLI", "UKR", "GEO"]
THEMES = ["organised_crime", "border_management", "cybercrime"]
QUALS = ["passport", "un_saat", "heat"]
SURNAMES = ["Virtanen", "Jansen", "Müller", "Dupont", "Lindqvist"]
BASE = dt.date(2027, 1, 1)


def build_roster():
    rng = random.Random(7)
    pools = [make_pool("p1"), make_pool("p2")]
    missions = [make_mission("M-SRB", countries=["SRB"], themes=["organised_crime"]),
                make_mission("M-MLI", countries=["MLI"], themes=["border_management"]),
                make_mission("M-UKR", countries=["UKR"], themes=[])]
    positions = [make_position(m) for m in missions]
    for i in range(48):
        officer = make_officer(
            rng.choice(pools),
            last_name=rng.choice(SURNAMES) + str(i),
            gender=rng.choice(["female", "male"]),
            rank_code=rng.choice(["constable", "sergeant", "inspector", "superintendent"]),
            skills=[(s, rng.randint(1, 4)) for s in rng.sample(SKILLS, rng.randint(0, 3))],
            languages=[(lang, rng.randint(1, 6), rng.randint(1, 6), rng.randint(1, 6))
                       for lang in rng.sample(LANGS, rng.randint(0, 2))],
            qualifications=[(q, BASE - dt.timedelta(days=rng.randint(0, 900)),
                             BASE + dt.timedelta(days=rng.randint(-200, 900))) for q in rng.sample(QUALS, rng.randint(0, 3))],
            countries=rng.sample(COUNTRIES, rng.randint(0, 1)),
            themes=rng.sample(THEMES, rng.randint(0, 1)),
            available_from=rng.choice([None, BASE - dt.timedelta(days=30), BASE + dt.timedelta(days=40)]),
            max_duration_months=rng.choice([None, 6, 12]),
        )
        if rng.random() < 0.3:
            start = BASE + dt.timedelta(days=rng.randint(-20, 200))
            UnavailablePeriod.objects.create(officer=officer, start=start, end=start + dt.timedelta(days=30))
        if rng.random() < 0.35:
            make_secondment(officer, rng.choice(positions),
                            status=rng.choice([Secondment.Status.RETURNED, Secondment.Status.CANCELLED]))
    return pools


def facts(officer):
    """Everything the brute-force filter needs, read from the objects (not from SQL filters)."""
    history = [s for s in officer.secondments.all() if s.status in ("deployed", "returned", "reintegrated")]
    mission_countries = {c.iso3 for s in history for c in s.position.mission.host_countries.all()}
    mission_themes = {t.code for s in history for t in s.position.mission.thematic_areas.all()}
    return {
        "officer": officer,
        "skills": {s.skill.code: s.level for s in officer.skills.all()},
        "languages": {lang.language.code: min(lang.speaking, lang.reading, lang.writing) for lang in officer.languages.all()},
        "countries": {c.iso3 for c in officer.country_expertise.all()} | mission_countries,
        "regions": {r for c in officer.country_expertise.all() for r in (c.region, c.subregion)}
        | {r for s in history for c in s.position.mission.host_countries.all() for r in (c.region, c.subregion)},
        "themes": {t.code for t in officer.thematic_expertise.all()} | mission_themes,
        "quals": list(officer.qualifications.all()),
        "unavailable": [(p.start, p.end) for p in officer.unavailable_periods.all()],
        "text": officer.search_document.lower(),
    }


def brute_force(all_facts, q):
    ids = set()
    skill_codes = dict(Skill.objects.values_list("id", "code"))
    lang_codes = dict(Language.objects.values_list("id", "code"))
    country_codes = dict(Country.objects.values_list("id", "iso3"))
    theme_codes = dict(ThematicArea.objects.values_list("id", "code"))
    qual_codes = dict(QualificationType.objects.values_list("id", "code"))
    for f in all_facts:
        o = f["officer"]
        if any(f["skills"].get(skill_codes[s], 0) < lvl for s, lvl in q.skills):
            continue
        if any(f["languages"].get(lang_codes[lang], 0) < lvl for lang, lvl in q.languages):
            continue
        if q.countries and not f["countries"] & {country_codes[c] for c in q.countries}:
            continue
        if q.region and q.region not in f["regions"]:
            continue
        if q.themes and not f["themes"] & {theme_codes[t] for t in q.themes}:
            continue
        if q.available_from:
            start = q.available_from
            end = add_months(start, q.min_months) if q.min_months else (q.available_to or start)
            if o.available_from is None or o.available_from > start:
                continue
            if any(a <= end and b >= start for a, b in f["unavailable"]):
                continue
            if q.min_months and o.max_duration_months is not None and o.max_duration_months < q.min_months:
                continue
        if q.qualifications:
            day = q.qualified_on
            if not all(any(x.qualification_type.code == qual_codes[t] and x.is_valid_on(day) for x in f["quals"])
                       for t in q.qualifications):
                continue
        if q.pools and o.pool_id not in q.pools:
            continue
        if q.genders and o.gender not in q.genders:
            continue
        if q.min_rank_order and o.rank.order < q.min_rank_order:
            continue
        if q.text and not all(any(w.startswith(t.lower()) for w in f["text"].split()) for t in q.text.split()):
            continue
        ids.add(o.pk)
    return ids


@pytest.fixture
def roster_facts(django_db_blocker):
    pools = build_roster()
    officers = Officer.objects.select_related("pool", "rank").prefetch_related(
        "skills__skill", "languages__language", "country_expertise", "thematic_expertise",
        "qualifications__qualification_type", "unavailable_periods",
        "secondments__position__mission__host_countries", "secondments__position__mission__thematic_areas")
    return pools, [facts(o) for o in officers]


def queries(pool_ids):
    def ids_of(model, codes, field="code"):
        return list(model.objects.filter(**{f"{field}__in": codes}).values_list("id", flat=True))

    skill_ids, lang_ids = ids_of(Skill, SKILLS), ids_of(Language, LANGS)
    country_ids, theme_ids = ids_of(Country, COUNTRIES, "iso3"), ids_of(ThematicArea, THEMES)
    qual_ids = ids_of(QualificationType, QUALS)
    dates = st.dates(min_value=BASE - dt.timedelta(days=60), max_value=BASE + dt.timedelta(days=120))
    return st.builds(
        RosterQuery,
        text=st.sampled_from(["", "", "virt", "Jansen", "müller", "criminal", "dupont1"]),
        skills=st.lists(st.tuples(st.sampled_from(skill_ids), st.integers(1, 4)), max_size=2,
                        unique_by=lambda t: t[0]),
        languages=st.lists(st.tuples(st.sampled_from(lang_ids), st.integers(1, 6)), max_size=1),
        countries=st.lists(st.sampled_from(country_ids), max_size=2, unique=True),
        region=st.sampled_from(["", "", "Africa", "Eastern Europe", "Southern Europe"]),
        themes=st.lists(st.sampled_from(theme_ids), max_size=2, unique=True),
        available_from=st.one_of(st.none(), dates),
        available_to=st.none(),
        min_months=st.one_of(st.none(), st.integers(1, 12)),
        qualifications=st.lists(st.sampled_from(qual_ids), max_size=2, unique=True),
        qualified_on=dates,
        pools=st.lists(st.sampled_from(pool_ids), max_size=2, unique=True),
        genders=st.lists(st.sampled_from(["female", "male"]), max_size=2, unique=True),
        min_rank_order=st.one_of(st.none(), st.integers(1, 5)),
        sort=st.sampled_from(["name", "-name", "rank", "pool", "available", "service_number"]),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_search_equals_brute_force(roster_facts, data):
    pools, all_facts = roster_facts
    query = data.draw(queries([p.pk for p in pools]))
    result = apply_query(Officer.objects.all(), query)
    found = list(result.values_list("id", flat=True))
    assert len(found) == len(set(found)), "an officer appears twice"
    assert set(found) == brute_force(all_facts, query)


def test_sorting_and_free_text(roster_facts):
    pools, all_facts = roster_facts
    by_name = list(apply_query(Officer.objects.all(), RosterQuery(sort="name")).values_list("last_name", flat=True))
    assert by_name == sorted(by_name)
    ranks = list(apply_query(Officer.objects.all(), RosterQuery(sort="-rank")).values_list("rank__order", flat=True))
    assert ranks == sorted(ranks, reverse=True)
    # Quotes and FTS operators are words, not syntax.
    assert list(apply_query(Officer.objects.all(), RosterQuery(text='"OR* NEAR(')).values_list("id", flat=True)) == []


def test_search_respects_visibility(roster_facts):
    pools, all_facts = roster_facts
    coordinator = make_user(Role.COORDINATOR, pools=[pools[0]])
    found = set(search_officers(user=coordinator, query=RosterQuery()).values_list("pool_id", flat=True))
    assert found == {pools[0].pk}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_roster_page_is_a_slice_of_the_search(roster_facts, data):
    from dividend.roster.search import roster_page

    pools, _ = roster_facts
    user = make_user(Role.COORDINATOR, national=True)
    query = data.draw(queries([p.pk for p in pools]))
    if data.draw(st.booleans()):
        query = RosterQuery(sort=query.sort)  # no filters: the browsing path
    number = data.draw(st.integers(-1, 9))
    page = roster_page(user=user, query=query, number=number, page_size=7)
    everything = list(search_officers(user=user, query=query).values_list("id", "gender"))
    assert page.total == len(everything)
    assert page.by_gender == [{"gender": g, "n": sum(1 for _, x in everything if x == g)}
                              for g in sorted({x for _, x in everything})]
    expected_number = min(max(number, 1), max(1, -(-len(everything) // 7)))
    assert page.number == expected_number
    start = (expected_number - 1) * 7
    assert [o.pk for o in page.officers] == [i for i, _ in everything[start:start + 7]]


@pytest.mark.django_db
def test_free_text_ignores_diacritics_on_both_engines():
    pool = make_pool()
    umlaut = make_officer(pool, last_name="Müller", first_name="Jürgen")
    plain = make_officer(pool, last_name="Muller", first_name="Anna")
    spelled = make_officer(pool, last_name="Mueller", first_name="Eva")
    assert umlaut.search_document.endswith(" Jurgen Muller")  # both spellings in the document

    def found(text):
        return set(apply_query(Officer.objects.all(), RosterQuery(text=text)).values_list("id", flat=True))

    assert found("muller") == found("Müller") == found("MÜLL") == {umlaut.pk, plain.pk}
    assert found("jurgen") == found("Jürgen") == {umlaut.pk}
    assert found("mueller") == {spelled.pk}
