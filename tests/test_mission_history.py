"""A secondment that took place: one definition (secondments), read by the roster without reaching
that app; one officer's secondments never overlap."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import Country, ThematicArea
from dividend.roster.facts import country_token, theme_token
from dividend.roster.search import CrisisRequest, crisis_candidates
from dividend.secondments.models import Secondment
from dividend.secondments.services import cancel as cancel_secondment
from dividend.secondments.services import complete_return, create_secondment, reintegrate

from .factories import make_mission, make_officer, make_pool, make_position, make_user

Status = Secondment.Status


def test_took_place_means_deployed_returned_or_reintegrated():
    assert Secondment.TOOK_PLACE == {Status.DEPLOYED, Status.RETURNED, Status.REINTEGRATED}


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_every_reader_of_mission_history_uses_the_one_definition(client, status):
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool, available_from=dt.date(2027, 1, 1), themes=["drugs"],
                           qualifications=[("passport", dt.date(2020, 1, 1), dt.date(2035, 1, 1))])
    position = make_position(make_mission("EUMM-H", countries=["GEO"], themes=["border_management"]))
    start = dt.date(2024, 1, 1)
    if status == Status.CANCELLED:
        secondment = create_secondment(actor=coordinator, officer=officer, position=position, start_date=start)
        cancel_secondment(actor=coordinator, secondment=secondment, reason="call withdrawn")
    elif status == Status.REINTEGRATED:
        secondment = create_secondment(actor=coordinator, officer=officer, position=position, start_date=start,
                                       end_date=dt.date(2024, 12, 31), status=Status.DEPLOYED)
        complete_return(actor=coordinator, secondment=secondment, returned_on=dt.date(2024, 12, 31))
        reintegrate(actor=make_user(Role.HR_MANAGER, pools=[pool]), secondment=secondment, reason="new post")
    else:
        create_secondment(actor=coordinator, officer=officer, position=position, start_date=start,
                          end_date=dt.date(2024, 12, 31), status=status)
    took_place = status in Secondment.TOOK_PLACE
    georgia, border = Country.objects.get(iso3="GEO"), ThematicArea.objects.get(code="border_management")
    officer.refresh_from_db(fields=["search_facts"])
    facts = set(officer.search_facts.split())
    assert (country_token(georgia.pk) in facts, theme_token(border.pk) in facts) == (took_place, took_place)
    client.force_login(coordinator)
    page = client.get(f"/roster/officers/{officer.pk}/")
    assert (page.context["derived_countries"], page.context["derived_themes"]) == (
        (["Georgia"], ["Border management"]) if took_place else ([], []))
    results, _ = crisis_candidates(user=coordinator, request=CrisisRequest(
        within_days=10, duration_months=3, theme_id=ThematicArea.objects.get(code="drugs").pk,
        today=dt.date(2027, 3, 1)))
    assert [r.parts["mission experience"] for r in results] == [10.0 if took_place else 0.0]


@pytest.mark.django_db
def test_overlapping_secondment_is_refused_with_its_clash_and_changes_nothing(client):
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool)
    position = make_position(make_mission("EUMM-O", countries=["GEO"]), title="Monitor")
    create_secondment(actor=coordinator, officer=officer, position=position, start_date=dt.date(2022, 5, 1),
                      end_date=dt.date(2023, 4, 30), status=Status.RETURNED)
    client.force_login(coordinator)
    before = (Secondment.objects.count(), AuditEntry.objects.count())
    answer = client.post(f"/secondments/officers/{officer.pk}/new/", {
        "position": position.pk, "start_date": "2023-04-30", "end_date": "2023-10-31", "status": "returned"})
    assert answer.status_code == 400
    assert ("These dates overlap the officer&#x27;s returned secondment to EUMM-O (Monitor) from 2022-05-01 to "
            "2023-04-30; one officer&#x27;s secondments may not overlap.") in answer.content.decode()
    assert (Secondment.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_api_refuses_an_open_ended_secondment_over_a_later_one(client):
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool)
    position = make_position(make_mission("EUAM-O", countries=["UKR"]), title="Adviser")
    create_secondment(actor=coordinator, officer=officer, position=position, start_date=dt.date(2030, 3, 1),
                      end_date=dt.date(2030, 8, 31))
    client.force_login(coordinator)
    answer = client.post("/api/secondments", {"officer": officer.pk, "position": position.pk,
                                              "start_date": "2029-01-01"}, content_type="application/json")
    assert answer.status_code == 400
    assert ("These dates overlap the officer's selected secondment to EUAM-O (Adviser) from 2030-03-01 to "
            "2030-08-31; one officer's secondments may not overlap.") in str(answer.json())
    assert Secondment.objects.filter(officer=officer).count() == 1


@pytest.mark.django_db
def test_ending_a_secondment_before_its_start_is_refused_and_changes_nothing():
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    secondment = create_secondment(actor=coordinator, officer=make_officer(pool),
                                   position=make_position(make_mission()), start_date=dt.date(2099, 1, 1),
                                   status=Status.DEPLOYED)
    with pytest.raises(ValidationError, match="The return is before the departure"):
        complete_return(actor=coordinator, secondment=secondment, reason="back")
    secondment.refresh_from_db()
    assert (secondment.status, secondment.end_date) == (Status.DEPLOYED, None)


# (start day, length in days or None for open-ended, status, cancel it afterwards)
ATTEMPTS = st.lists(st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30)),
                              st.sampled_from([Status.SELECTED, Status.DEPLOYED, Status.RETURNED]), st.booleans()),
                    min_size=1, max_size=6)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=ATTEMPTS)
def test_secondments_are_refused_exactly_when_they_overlap_one_not_cancelled(attempts):
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool)
    position = make_position(make_mission())
    origin, active = dt.date(2025, 1, 1), []  # (start, end or None) of the secondments that count
    for offset, length, status, cancel in attempts:
        start = origin + dt.timedelta(days=offset)
        end = None if length is None else start + dt.timedelta(days=length)
        if status == Status.RETURNED and end is None:
            end = start
        overlaps = any(start <= (e or dt.date.max) and s <= (end or dt.date.max) for s, e in active)
        try:
            secondment = create_secondment(actor=coordinator, officer=officer, position=position, start_date=start,
                                           end_date=end, status=status)
        except ValidationError as error:
            assert overlaps and "one officer's secondments may not overlap" in error.messages[0]
            continue
        assert not overlaps
        if cancel and status == Status.SELECTED:
            cancel_secondment(actor=coordinator, secondment=secondment, reason="not needed")
        else:
            active.append((start, end))
    assert Secondment.objects.filter(officer=officer).occupying().count() == len(active)
