import datetime as dt
import json

import pytest

from dividend.selection.models import Call, Nomination

from ..factories import complete_sign_in
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api(client, sel):
    user = sel["users"]["coordinator"]
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def call_body(sel, **overrides):
    return {"organisation": "osce", "kind": "regular", "reference": "OSCE/1", "title": "Experts",
            "published_on": str(TODAY), "organisation_deadline": str(TODAY + dt.timedelta(days=20)),
            "national_deadline": str(TODAY + dt.timedelta(days=10)), "pools": [sel["pools"][0].pk]} | overrides


def test_a_call_is_created_through_the_api(api, sel):
    response = post(api, "/api/selection/calls", call_body(sel))
    assert response.status_code == 201
    body = response.json()
    assert (body["reference"], body["status"], body["pools"], body["positions"]) == (
        "OSCE/1", "draft", [sel["pools"][0].pk], 0)


def test_deadlines_in_the_wrong_order_are_a_400_naming_the_field(api, sel):
    response = post(api, "/api/selection/calls", call_body(sel, national_deadline=str(TODAY + dt.timedelta(days=30))))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["national_deadline"]
    assert not Call.objects.filter(reference="OSCE/1").exists()


def test_a_position_without_a_mission_is_a_400(api, sel):
    response = post(api, f"/api/selection/calls/{sel['call'].pk}/positions", {"title": "Adviser", "posts": 1})
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": [
        "A position needs a mission: choose an existing position or a mission."]}


def test_a_nomination_through_the_api_awaits_release(api, sel):
    response = post(api, "/api/selection/nominations", {"call_position": sel["cp"].pk, "officer": sel["aalto"].pk})
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["origin"]) == ("awaiting_release", "coordinator")


def test_an_unknown_officer_is_a_400(api, sel):
    response = post(api, "/api/selection/nominations", {"call_position": sel["cp"].pk, "officer": 987654})
    assert response.status_code == 400
    assert response.json()["errors"] == {"officer": [
        "Unknown officer, or not one of the call's pools that you coordinate."]}


def test_a_nomination_after_the_pre_deadline_is_a_400(api, sel):
    Call.objects.filter(pk=sel["call"].pk).update(national_deadline=TODAY - dt.timedelta(days=1),
                                                  published_on=TODAY - dt.timedelta(days=9))
    response = post(api, "/api/selection/nominations", {"call_position": sel["cp"].pk, "officer": sel["aalto"].pk})
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": [
        f"The national pre-deadline ({TODAY - dt.timedelta(days=1):%Y-%m-%d}) has passed: no more nominations."]}
    assert Nomination.objects.count() == 0


def test_the_status_moves_through_the_api(api, sel):
    response = post(api, f"/api/selection/calls/{sel['call'].pk}/status", {"status": "national_selection"})
    assert (response.status_code, response.json()["status"]) == (200, "national_selection")


def test_a_status_outside_the_table_is_a_400(api, sel):
    response = post(api, f"/api/selection/calls/{sel['call'].pk}/status", {"status": "draft"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_a_null_character_is_a_400_naming_the_field(api, sel):
    response = post(api, "/api/selection/calls", call_body(sel, reference="OSCE\x00/1"))
    assert (response.status_code, response.json()["errors"]) == (400, {"reference": ["Null characters are not allowed."]})
    response = api.get("/api/selection/calls?organisation=eu%00")
    assert (response.status_code, response.json()["errors"]) == (400, {"organisation": ["Null characters are not allowed."]})


def test_an_officers_own_interest_through_the_api_refuses_a_null_character(client, sel):
    user = sel["users"]["secondee"]
    client.force_login(user)
    complete_sign_in(client, user)
    response = post(client, "/api/selection/nominations", {"call_position": sel["cp"].pk, "officer": sel["aalto"].pk,
                                                           "motivation": "keen\x00"})
    assert (response.status_code, response.json()["errors"]) == (400, {"motivation": ["Null characters are not allowed."]})
    assert Nomination.objects.count() == 0
