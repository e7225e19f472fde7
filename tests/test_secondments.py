"""Recording secondments (selected, or past mission history) through the page and the API; moving
them on from the list."""

import datetime as dt
import re

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import ThematicArea
from dividend.secondments.models import Secondment

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    pool = make_pool()
    officer = make_officer(pool, last_name="Aalto")
    position = make_position(make_mission("EUMM", countries=["GEO"], themes=["border_management"]),
                             title="Monitor")
    return pool, officer, position


def test_coordinator_records_past_mission_history(client, setup):
    pool, officer, position = setup
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    client.force_login(coordinator)
    assert "Record a secondment" in client.get(f"/roster/officers/{officer.pk}/").content.decode()
    url = f"/secondments/officers/{officer.pk}/new/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"position": position.pk, "start_date": "2022-05-01", "end_date": "2021-05-01",
                            "status": "returned"})
    assert bad.status_code == 400 and "The end date is before the start date." in bad.content.decode()
    no_end = client.post(url, {"position": position.pk, "start_date": "2022-05-01", "status": "returned"})
    assert no_end.status_code == 400 and "A returned secondment needs its end date." in no_end.content.decode()
    assert Secondment.objects.count() == 0
    ok = client.post(url, {"position": position.pk, "start_date": "2022-05-01", "end_date": "2023-04-30",
                           "status": "returned", "reason": "personnel file"})
    assert ok.status_code == 302
    secondment = Secondment.objects.get()
    assert (secondment.status, secondment.end_date, secondment.status_reason, secondment.status_changed_by) == (
        "returned", dt.date(2023, 4, 30), "personnel file", coordinator)
    entry = AuditEntry.objects.get(action="create", object_type="secondments.secondment")
    assert entry.fields == ["end_date", "officer", "position", "start_date", "status"]
    page = client.get(f"/roster/officers/{officer.pk}/").content.decode()
    assert "EUMM" in page and "Georgia" in page and "Border management" in page


def test_panel_member_and_other_pool_cannot_record(client, setup):
    pool, officer, position = setup
    client.force_login(make_user(Role.PANEL_MEMBER, pools=[pool]))
    assert client.get(f"/secondments/officers/{officer.pk}/new/").status_code == 403
    client.force_login(make_user(Role.COORDINATOR, pools=[make_pool()]))
    assert client.get(f"/secondments/officers/{officer.pk}/new/").status_code == 404


def test_api_records_a_secondment(client, setup):
    pool, officer, position = setup
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    payload = {"officer": officer.pk, "position": position.pk, "start_date": "2027-02-01"}
    response = client.post("/api/secondments", payload, content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["mission"]) == ("selected", "EUMM")
    for bad, field in (({"status": "cancelled"}, "status"), ({"position": 999999}, "position"),
                       ({"end_date": "2027-01-01"}, "end_date")):
        answer = client.post("/api/secondments", payload | bad, content_type="application/json")
        assert answer.status_code == 400 and field in answer.json()["errors"], answer.json()
    assert client.post("/api/secondments", payload | {"officer": 999999},
                       content_type="application/json").status_code == 404
    assert Secondment.objects.count() == 1


# --- Status changes on the list ------------------------------------------------------------------

def test_move_form_offers_only_the_moves_allowed_none_preselected(client, setup):
    pool, officer, position = setup
    selected = make_secondment(officer, position, status=Secondment.Status.SELECTED, start=dt.date(2027, 1, 1), end=None)
    deployed = make_secondment(make_officer(pool), position, status=Secondment.Status.DEPLOYED)
    done = make_secondment(make_officer(pool), position, status=Secondment.Status.RETURNED)
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    html = re.sub(r">\s+<", "><", client.get("/secondments/").content.decode())
    assert (f'<select name="move" required id="id_{selected.pk}_move">'
            '<option value="" selected>choose…</option><option value="prepare">Start preparing</option>'
            '<option value="cancel">Cancel</option></select>') in html
    assert (f'<select name="move" required id="id_{deployed.pk}_move">'
            '<option value="" selected>choose…</option><option value="extend">Extend</option>'
            '<option value="return">Return</option><option value="cut_short">Cut short</option></select>') in html
    # A returned secondment moves on only to reintegration, which is HR's: a coordinator gets no form.
    assert f'id="id_{done.pk}_move"' not in html
    assert f'href="/secondments/{done.pk}/edit/"' in html


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.POLICY_OFFICER, Role.AUDITOR, Role.ANALYST])
def test_move_form_is_not_shown_to_roles_that_may_not_use_it(client, setup, role):
    pool, officer, position = setup
    secondment = make_secondment(officer, position, status=Secondment.Status.SELECTED, end=None)
    client.force_login(make_user(role, pools=[pool], national=True))
    response = client.get("/secondments/")
    assert response.status_code == 200 and "Aalto" in response.content.decode()
    assert f"/secondments/{secondment.pk}/move/" not in response.content.decode()
    assert f"/secondments/{secondment.pk}/edit/" not in response.content.decode()


def test_move_without_a_choice_or_a_needed_reason_is_refused_and_changes_nothing(client, setup):
    pool, officer, position = setup
    secondment = make_secondment(officer, position, status=Secondment.Status.SELECTED, end=None)
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    for bad in ({"move": "", "reason": "ready"}, {"move": "cancel", "reason": ""},
                {"move": "deploy", "reason": "skipping a step"}, {"move": "prepare", "date": "2027-01-01"}):
        response = client.post(f"/secondments/{secondment.pk}/move/", bad, follow=True)
        assert "Status not changed" in response.content.decode(), bad
    secondment.refresh_from_db()
    assert secondment.status == Secondment.Status.SELECTED
    assert not AuditEntry.objects.filter(action="status").exists()
    ok = client.post(f"/secondments/{secondment.pk}/move/", {"move": "prepare", "reason": ""}, follow=True)
    assert "Status changed." in ok.content.decode()
    secondment.refresh_from_db()
    assert (secondment.status, secondment.status_reason) == (Secondment.Status.PREPARING, "Start preparing")


# --- Correcting position and dates ---------------------------------------------------------------

def test_coordinator_corrects_dates_and_position(client, setup):
    pool, officer, position = setup
    other = make_position(make_mission("EULEX", countries=["XKX"], themes=["organised_crime"]), title="Adviser")
    secondment = make_secondment(officer, position)
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    url = f"/secondments/{secondment.pk}/edit/"
    html = client.get(url).content.decode()
    assert '<input type="date" name="start_date" value="2020-01-01"' in html
    response = client.post(url, {"position": other.pk, "start_date": "2020-02-01", "end_date": "2021-01-01",
                                 "reason": "personnel file"})
    assert response.status_code == 302 and response["Location"] == f"/roster/officers/{officer.pk}/"
    secondment.refresh_from_db()
    assert (secondment.position, secondment.start_date, secondment.end_date) == (other, dt.date(2020, 2, 1),
                                                                                dt.date(2021, 1, 1))
    entry = AuditEntry.objects.get(action="update", object_type="secondments.secondment")
    assert (entry.fields, entry.detail) == (["position", "start_date"], {
        "officer_id": officer.pk, "reason": "personnel file",
        "changes": {"position": {"old": position.pk, "new": other.pk},
                    "start_date": {"old": "2020-01-01", "new": "2020-02-01"}}})
    officer.refresh_from_db()
    theme = ThematicArea.objects.get(code="organised_crime")
    assert f"th{theme.pk}" in officer.search_facts.split()  # the new mission's theme, through the history


def test_secondment_edit_refuses_bad_dates_and_changes_nothing(client, setup):
    pool, officer, position = setup
    secondment = make_secondment(officer, position)
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    url = f"/secondments/{secondment.pk}/edit/"
    for bad, message in (({"end_date": "2019-01-01"}, "The end date is before the start date."),
                         ({"end_date": ""}, "A returned secondment keeps its end date."),
                         ({"start_date": "2020-02-30"}, "Enter a valid date (year-month-day, e.g. 2027-03-01).")):
        data = {"position": position.pk, "start_date": "2020-01-01", "end_date": "2021-01-01"} | bad
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), bad
    secondment.refresh_from_db()
    assert (secondment.start_date, secondment.end_date) == (dt.date(2020, 1, 1), dt.date(2021, 1, 1))
    assert not AuditEntry.objects.filter(action="update").exists()


def test_secondment_edit_is_for_those_who_manage_it(client, setup):
    pool, officer, position = setup
    secondment = make_secondment(officer, position)
    client.force_login(make_user(Role.PANEL_MEMBER, pools=[pool]))
    assert client.get(f"/secondments/{secondment.pk}/edit/").status_code == 403
    client.force_login(make_user(Role.COORDINATOR, pools=[make_pool()]))
    assert client.get(f"/secondments/{secondment.pk}/edit/").status_code == 404
