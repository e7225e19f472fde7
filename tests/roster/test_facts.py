"""Search facts (roster.facts): what they hold, and that every workflow keeps them current."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dividend.pools.models import Role
from dividend.reference.models import Country, Language, QualificationType, Skill, ThematicArea
from dividend.roster import services
from dividend.roster.facts import facts_line, refresh_search_facts, region_token, stale_search_facts
from dividend.roster.models import Officer
from dividend.roster.search import RosterQuery, apply_query
from dividend.secondments.models import Secondment
from dividend.secondments.services import create_secondment, deploy, start_preparing

from ..factories import make_mission, make_officer, make_pool, make_position, make_user

pytestmark = pytest.mark.django_db


def found(**query) -> list[int]:
    return list(apply_query(Officer.objects.all(), RosterQuery(**query)).values_list("id", flat=True))


def test_facts_line_expands_levels_and_places():
    line = facts_line(gender="female", pool_id=3, skills=[(5, 2)], languages=[(1, 4, 5, 3)],
                      qualification_type_ids={2}, countries=[(10, "Europe", "Eastern Europe"), (10, "Europe", "")],
                      themes=[7, 7])
    assert line == "co10 gefemale la1l1 la1l2 la1l3 po3 qu2 reeasterneurope reeurope sk5l1 sk5l2 th7"
    assert facts_line(gender="undisclosed", pool_id=1) == "geundisclosed po1"
    assert region_token("Latin America and the Caribbean") == "relatinamericaandthecaribbean"
    assert region_token("Sub-Saharan Africa") == "resubsaharanafrica"


def test_refresh_writes_only_what_changed_and_check_reports_stale_rows():
    pool = make_pool()
    first = make_officer(pool, skills=[("training", 2)])
    second = make_officer(pool)
    assert stale_search_facts() == []
    assert refresh_search_facts() == 0
    Officer.objects.filter(pk=second.pk).update(search_facts="")  # as if written outside the workflows
    assert stale_search_facts() == [second.pk]
    with pytest.raises(CommandError, match=rf"1 officer\(s\) with out-of-date search facts: {second.pk}\."):
        call_command("refresh_search_facts", "--check")
    out = StringIO()
    call_command("refresh_search_facts", stdout=out)
    assert out.getvalue() == "Search facts refreshed: 1 officer(s) changed.\n"
    out = StringIO()
    call_command("refresh_search_facts", "--check", stdout=out)
    assert out.getvalue() == "Search facts are up to date.\n"
    training = Skill.objects.get(code="training")
    assert found(skills=[(training.pk, 2)]) == [first.pk]


def test_officer_saves_keep_facts_current():
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool)
    forensics, english = Skill.objects.get(code="forensics"), Language.objects.get(code="en")
    assert found(skills=[(forensics.pk, 3)]) == []
    services.save_officer(actor=coordinator, officer=officer, skills=[(forensics, 3)], languages=[(english, 5, 5, 4)])
    assert found(skills=[(forensics.pk, 3)], languages=[(english.pk, 4)]) == [officer.pk]
    assert found(languages=[(english.pk, 5)]) == []
    officer.gender = "male"
    services.save_officer(actor=coordinator, officer=officer, skills=[(forensics, 2)])
    assert found(skills=[(forensics.pk, 2)], genders=["male"]) == [officer.pk]
    assert found(skills=[(forensics.pk, 3)]) == []
    assert found(skills=[(forensics.pk, 2)], genders=["female"]) == []
    serbia = Country.objects.get(iso3="SRB")
    services.save_officer(actor=coordinator, officer=officer, countries=[serbia])
    assert found(region=serbia.subregion) == [officer.pk]
    assert found(region=serbia.region) == [officer.pk]
    assert stale_search_facts() == []


def test_a_qualification_counts_once_confirmed():
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    secondee = make_user(Role.SECONDEE)
    officer = make_officer(pool, user=secondee)
    saat = QualificationType.objects.get(code="un_saat")
    query = {"qualifications": [saat.pk], "qualified_on": dt.date(2026, 6, 1)}
    pending = services.submit_qualification(actor=secondee, officer=officer, qualification_type=saat,
                                            issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2028, 1, 1))
    assert found(**query) == []
    services.decide_qualification(actor=coordinator, qualification=pending, confirm=True)
    assert found(**query) == [officer.pk]
    assert found(qualifications=[saat.pk], qualified_on=dt.date(2028, 1, 2)) == []  # validity is exact
    assert stale_search_facts() == []


def test_secondments_make_mission_expertise_searchable():
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool)
    mali = Country.objects.get(iso3="MLI")
    terrorism = ThematicArea.objects.get(code="terrorism_violent_extremism")
    position = make_position(make_mission("EUCAP-T", countries=["MLI"], themes=[terrorism.code]))
    planned = create_secondment(actor=coordinator, officer=officer, position=position,
                                start_date=dt.date(2026, 1, 1), status=Secondment.Status.SELECTED)
    assert found(countries=[mali.pk]) == []  # planned: not history yet
    start_preparing(actor=coordinator, secondment=planned)
    assert found(countries=[mali.pk]) == []  # preparing: not history yet either
    deploy(actor=coordinator, secondment=planned, reason="arrived")
    assert found(countries=[mali.pk]) == [officer.pk]
    assert found(themes=[terrorism.pk], region=mali.subregion) == [officer.pk]
    assert stale_search_facts() == []


def test_mission_and_position_edits_refresh_their_veterans():
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool)
    mission = make_mission("EULEX-T", countries=["XKX"])
    other = make_mission("EUAM-T", countries=["UKR"])
    position = make_position(mission)
    create_secondment(actor=coordinator, officer=officer, position=position, start_date=dt.date(2020, 1, 1),
                      end_date=dt.date(2021, 1, 1), status=Secondment.Status.RETURNED)
    serbia, ukraine = Country.objects.get(iso3="SRB"), Country.objects.get(iso3="UKR")
    mission.host_countries.add(serbia)  # as the admin's save or a registry reload does
    assert found(countries=[serbia.pk]) == [officer.pk]
    serbia.missions.remove(mission)  # from the other side of the relation
    assert found(countries=[serbia.pk]) == []
    theme = ThematicArea.objects.get(code="organised_crime")
    mission.thematic_areas.set([theme])
    assert found(themes=[theme.pk]) == [officer.pk]
    mission.thematic_areas.clear()
    assert found(themes=[theme.pk]) == []
    position.mission = other
    position.save()
    assert found(countries=[ukraine.pk]) == [officer.pk]
    assert stale_search_facts() == []
