"""Vacancies, matching returnees with a transparent score, placements (→ reintegrated), the KPIs on a
small known dataset, and the returnee pool search."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.careers import kpis, services
from dividend.careers.matching import candidates
from dividend.careers.models import FollowUp, LearningPlan, Placement, Vacancy
from dividend.careers.returnees import ReturneeQuery, search
from dividend.pools.access import EVERY_POOL
from dividend.reference.models import Country, Language, ThematicArea
from dividend.secondments.models import Secondment

from ..factories import complete_sign_in, make_mission, make_officer, make_position, make_secondment
from .conftest import THREE, TODAY, objectives

pytestmark = pytest.mark.django_db


def _vacancy(w, **extra):
    vacancy, _ = services.save_vacancy(
        actor=w["users"]["hr"], pool=w["pools"][0], post="Smuggling desk officer", unit="Migration crime unit",
        location="Potsdam", skills=objectives(w, ("criminal_investigation", 3), ("migrant_smuggling", 3)),
        countries=Country.objects.filter(iso3="NER"), themes=ThematicArea.objects.filter(code="migrant_smuggling_irregular_migration"),
        **extra)
    return vacancy


def _aalto_appraised(w):
    sa = w["secondments"][0]
    services.set_learning_plan(actor=w["users"]["secondee"], secondment=sa, objectives=objectives(w, *THREE),
                               career_plan="Lead the smuggling desk.")
    plan = LearningPlan.objects.get(secondment=sa)
    ratings = {f"objective:{o.pk}": {"criminal_investigation": 3, "migrant_smuggling": 2, "leadership": 4}[o.skill.code]
               for o in plan.objectives.select_related("skill")}
    ratings |= {c: 3 for c in ("leadership", "intercultural_competence", "responsibility", "investigation_methods",
                               "transnational_crime", "country_knowledge")}
    services.save_appraisal(actor=w["users"]["hr"], secondment=sa, stage="after", rater="supervisor", ratings=ratings)


def test_the_score_shows_each_part_with_its_reason(careers_world):
    w = careers_world
    _aalto_appraised(w)
    vacancy = _vacancy(w)
    matches = candidates(vacancy, Secondment.objects.all())
    assert [(m.secondment.officer.last_name, m.score.total) for m in matches] == [("Aalto", 65.0), ("Berg", 0.0)]
    assert [(p.key, p.points, p.maximum, p.reason) for p in matches[0].score.parts] == [
        ("skills_gained", 25.0, 50, "1 of 2 required skills reached on mission: Criminal investigation"),
        ("skills_held", 10.0, 20, "1 of 2 required skills on the record: Criminal investigation"),
        ("country", 15.0, 15, "Knows Niger"),
        ("theme", 15.0, 15, "Knows Migrant smuggling and irregular migration"),
    ]
    assert matches[0].score.skills_considered is True


def test_the_hr_manager_places_a_returnee_and_the_secondment_is_reintegrated(careers_world):
    w = careers_world
    _aalto_appraised(w)
    vacancy = _vacancy(w)
    sa = w["secondments"][0]
    placement = services.place(actor=w["users"]["hr"], vacancy=vacancy, secondment=sa, start_date=dt.date(2026, 7, 1))
    sa.refresh_from_db()
    vacancy.refresh_from_db()
    assert (sa.status, vacancy.status) == (Secondment.Status.REINTEGRATED, Vacancy.Status.FILLED)
    assert (placement.score["total"], placement.skills_considered) == (65.0, True)
    assert AuditEntry.objects.filter(object_type="careers.placement", action="create").count() == 1
    assert AuditEntry.objects.filter(object_type="secondments.secondment", action="status",
                                     object_id=str(sa.pk)).count() == 1


def test_a_placement_before_the_return_is_refused_and_nothing_changes(careers_world):
    w = careers_world
    vacancy = _vacancy(w)
    sa = w["secondments"][0]
    with pytest.raises(ValidationError) as error:
        services.place(actor=w["users"]["hr"], vacancy=vacancy, secondment=sa, start_date=dt.date(2026, 5, 30))
    assert error.value.message_dict == {"start_date": [
        "The placement starts on 2026-05-30, before the return on 2026-05-31."]}
    sa.refresh_from_db()
    vacancy.refresh_from_db()
    assert (sa.status, vacancy.status, Placement.objects.count()) == ("returned", "open", 0)


def test_a_coordinator_may_match_but_only_the_line_manager_places(careers_world):
    w = careers_world
    vacancy = _vacancy(w)
    with pytest.raises(PermissionDenied):
        services.place(actor=w["users"]["coordinator"], vacancy=vacancy, secondment=w["secondments"][0],
                       start_date=dt.date(2026, 7, 1))
    assert Placement.objects.count() == 0


def test_a_vacancy_saved_unchanged_changes_and_logs_nothing(careers_world):
    w = careers_world
    vacancy = _vacancy(w)
    before = AuditEntry.objects.count()
    assert _vacancy(w, vacancy=vacancy)[1] if False else services.save_vacancy(
        actor=w["users"]["hr"], vacancy=vacancy, pool=w["pools"][0], post="Smuggling desk officer",
        unit="Migration crime unit", location="Potsdam",
        skills=objectives(w, ("migrant_smuggling", 3), ("criminal_investigation", 3)),
        countries=Country.objects.filter(iso3="NER"),
        themes=ThematicArea.objects.filter(code="migrant_smuggling_irregular_migration"))[1] == []
    assert AuditEntry.objects.count() == before


def test_the_placement_page_refuses_a_date_before_the_return(careers_world, client):
    w = careers_world
    vacancy = _vacancy(w)
    client.force_login(w["users"]["hr"])
    complete_sign_in(client, w["users"]["hr"])
    response = client.post(f"/careers/vacancies/{vacancy.pk}/place/",
                           {"secondment": w["secondments"][0].pk, "start_date": "2026-05-01"}, follow=True)
    assert "The placement starts on 2026-05-01, before the return on 2026-05-31." in response.content.decode()
    assert Placement.objects.count() == 0


def test_the_matches_api_shows_the_parts(careers_world, client):
    w = careers_world
    _aalto_appraised(w)
    vacancy = _vacancy(w)
    client.force_login(w["users"]["coordinator"])
    complete_sign_in(client, w["users"]["coordinator"])
    body = client.get(f"/api/careers/vacancies/{vacancy.pk}/matches").json()
    assert [(m["name"], m["total"], [p["points"] for p in m["parts"]]) for m in body] == [
        ("Aino Aalto", 65.0, [25.0, 10.0, 15.0, 15.0])]  # Berg is of pool beta


# --- KPIs on a small known dataset ---------------------------------------------------------------

@pytest.fixture
def kpi_dataset(careers_world):
    """Six returnees. 2024: alpha A1 (placed after 30 days, skills counted, used leadership), A2
    (placed after 90 days, skills not counted, used none), A3 (not placed, no answer); beta B1 (placed
    after 10 days, counted, used country knowledge). 2025: alpha A4 (placed after 20 days, counted,
    used leadership), A5 (not placed, used none)."""
    Secondment.objects.all().delete()  # the world's two returnees are not part of this dataset
    alpha, beta = careers_world["pools"]
    position = make_position(make_mission("KPI"))
    vacancy_pool = {"alpha": alpha, "beta": beta}
    now = timezone.now()
    rows = [("A1", "alpha", 2024, 30, True, ["leadership"]), ("A2", "alpha", 2024, 90, False, []),
            ("A3", "alpha", 2024, None, None, None), ("B1", "beta", 2024, 10, True, ["country_knowledge"]),
            ("A4", "alpha", 2025, 20, True, ["leadership"]), ("A5", "alpha", 2025, None, None, [])]
    for name, pool, year, days, counted, used in rows:
        officer = make_officer(vacancy_pool[pool], last_name=name)
        end = dt.date(year, 6, 30)
        s = make_secondment(officer, position, status="reintegrated" if days is not None else "returned",
                            start=dt.date(year - 1, 7, 1), end=end)
        if days is not None:
            vacancy = Vacancy.objects.create(pool=vacancy_pool[pool], post="P", unit="U", location="L", created_at=now,
                                             status="filled")
            Placement.objects.create(vacancy=vacancy, secondment=s, officer=officer,
                                     start_date=end + dt.timedelta(days=days), score={}, skills_considered=counted,
                                     placed_at=now)
        if used is not None:
            FollowUp.objects.create(secondment=s, skills_used=used, answered_at=now)


def _figures(rows):
    return [(r.year, r.pool, r.returnees, r.placed, r.considered, r.share_considered, r.answered, r.gained,
             r.share_gained, r.median_days) for r in rows]


def test_kpis_per_year_and_pool_on_a_known_dataset(kpi_dataset):
    assert _figures(kpis.compute(EVERY_POOL)) == [
        (2025, "", 2, 1, 1, 50.0, 2, 1, 50.0, 20.0),
        (2025, "Pool alpha", 2, 1, 1, 50.0, 2, 1, 50.0, 20.0),
        (2024, "", 4, 3, 2, 50.0, 3, 2, 66.7, 30.0),
        (2024, "Pool alpha", 3, 2, 1, 33.3, 2, 1, 50.0, 60.0),
        (2024, "Pool beta", 1, 1, 1, 100.0, 1, 1, 100.0, 10.0),
    ]


def test_a_pool_coordinator_sees_the_kpis_of_their_pool_only(kpi_dataset, careers_world, client):
    user = careers_world["users"]["coordinator"]
    client.force_login(user)
    complete_sign_in(client, user)
    body = client.get("/api/careers/kpis").json()
    assert [(r["year"], r["pool"], r["share_considered"], r["median_days"]) for r in body] == [
        (2025, "", 50.0, 20.0), (2025, "Pool alpha", 50.0, 20.0), (2024, "", 33.3, 60.0),
        (2024, "Pool alpha", 33.3, 60.0)]


def test_the_kpi_page_draws_the_chart_without_inline_style_and_exports(kpi_dataset, careers_world, client):
    user = careers_world["users"]["policy"]
    client.force_login(user)
    complete_sign_in(client, user)
    page = client.get("/careers/kpis/").content.decode()
    assert "<svg" in page and "style=" not in page.split('id="kpi-chart"')[1].split("</svg>")[0]
    assert page.count('class="series series-considered"') == 2  # the line and its legend
    csv = b"".join(client.get("/careers/kpis/export.csv").streaming_content).decode()
    assert csv.splitlines()[1:3] == ["2025,all pools,2,1,1,50.0,2,1,50.0,20.0",
                                     "2025,Pool alpha,2,1,1,50.0,2,1,50.0,20.0"]
    xlsx = client.get("/careers/kpis/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


# --- The returnee pool -------------------------------------------------------------------------

def _names(user, **query):
    total, found = search(user, ReturneeQuery(today=TODAY, **query))
    assert total == len(found)
    return [r.officer.last_name for r in found]


def test_the_returnee_pool_searches_country_region_theme_language_contacts_and_recency(careers_world):
    w = careers_world
    services.save_debriefing(actor=w["users"]["secondee"], secondment=w["secondments"][0],
                             mandate_implementation="M", host_country_context="H", networks_built="N",
                             lessons_learned="L", contacts="IOM Agadez; judicial police Niamey")
    policy = w["users"]["policy"]
    assert _names(policy) == ["Aalto", "Berg"]  # the most recently returned first
    assert _names(policy, country_id=Country.objects.get(iso3="NER").pk) == ["Aalto"]
    assert _names(policy, region="Africa") == ["Aalto"]
    assert _names(policy, region="Europe") == ["Berg"]
    assert _names(policy, theme_id=ThematicArea.objects.get(code="organised_crime").pk) == ["Berg"]
    assert _names(policy, language_id=Language.objects.get(code="fr").pk) == ["Aalto"]
    assert _names(policy, contacts="agadez") == ["Aalto"]
    assert _names(policy, within_years=1) == ["Aalto"]
    assert _names(w["users"]["coordinator"]) == ["Aalto"]  # pool alpha only


def test_a_returnee_search_no_mission_can_match_finds_nobody(careers_world):
    # No mission in Iceland: the position filter is empty, and no query is sent for it.
    assert search(careers_world["users"]["policy"], ReturneeQuery(
        today=TODAY, country_id=Country.objects.get(iso3="ISL").pk)) == (0, [])


def test_the_returnee_search_leaves_the_debriefings_restricted_texts_unread(careers_world):
    w = careers_world
    services.save_debriefing(actor=w["users"]["secondee"], secondment=w["secondments"][0],
                             mandate_implementation="M", host_country_context="H", networks_built="N",
                             lessons_learned="L", contacts="IOM Agadez")
    _total, found = search(w["users"]["policy"], ReturneeQuery(today=TODAY, contacts="agadez"))
    assert found[0].contacts == "IOM Agadez"
    assert {"mandate_implementation", "host_country_context", "networks_built", "lessons_learned"} <= (
        found[0].last.debriefing.get_deferred_fields())
    assert {"emergency_contact_name", "emergency_contact_phone"} <= found[0].officer.get_deferred_fields()


def test_the_returnee_search_reads_four_queries_however_many_returnees(careers_world, django_assert_num_queries):
    w = careers_world
    for n in range(5):
        officer = make_officer(w["pools"][1], last_name=f"More{n}")
        make_secondment(officer, make_position(w["missions"][1]), start=dt.date(2023, 1, 1), end=dt.date(2023, 6, n + 1))
    # The user's roles, the count, the page, their last missions; PostgreSQL counts and pages in one.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 4):
        total, found = search(w["users"]["policy"], ReturneeQuery(today=TODAY))
    assert total == 7 and found[0].officer.last_name == "Aalto" and found[0].days_ago == 184


def test_the_returnee_page_and_api_refuse_bad_filters(careers_world, client):
    user = careers_world["users"]["policy"]
    client.force_login(user)
    complete_sign_in(client, user)
    assert client.get("/careers/returnees/?region=Atlantis").status_code == 400
    response = client.get("/api/careers/returnees?within_years=3")
    assert response.status_code == 400
    assert client.get("/api/careers/returnees?country=99999999").status_code == 400
    body = client.get("/api/careers/returnees?contacts=").json()
    assert [i["name"] for i in body["items"]] == ["Aino Aalto", "Bo Berg"]
    assert json.dumps(body).count("days_ago") == 2
