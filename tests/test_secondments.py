"""Recording secondments (planned, or past mission history) through the page and the API."""

import datetime as dt

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.secondments.models import Secondment

from .factories import make_mission, make_officer, make_pool, make_position, make_user

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
                            "status": "completed"})
    assert bad.status_code == 400 and "The end date is before the start date." in bad.content.decode()
    no_end = client.post(url, {"position": position.pk, "start_date": "2022-05-01", "status": "completed"})
    assert no_end.status_code == 400 and "A completed secondment needs its end date." in no_end.content.decode()
    assert Secondment.objects.count() == 0
    ok = client.post(url, {"position": position.pk, "start_date": "2022-05-01", "end_date": "2023-04-30",
                           "status": "completed", "reason": "personnel file"})
    assert ok.status_code == 302
    secondment = Secondment.objects.get()
    assert (secondment.status, secondment.end_date, secondment.status_reason, secondment.status_changed_by) == (
        "completed", dt.date(2023, 4, 30), "personnel file", coordinator)
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
    assert (response.json()["status"], response.json()["mission"]) == ("planned", "EUMM")
    for bad, field in (({"status": "cancelled"}, "status"), ({"position": 999999}, "position"),
                       ({"end_date": "2027-01-01"}, "end_date")):
        answer = client.post("/api/secondments", payload | bad, content_type="application/json")
        assert answer.status_code == 400 and field in answer.json()["errors"], answer.json()
    assert client.post("/api/secondments", payload | {"officer": 999999},
                       content_type="application/json").status_code == 404
    assert Secondment.objects.count() == 1
