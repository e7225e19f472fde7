"""A specialised team nominated as one package (issue 10, section 4): members, leader, equipment."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.selection import services
from dividend.selection.models import Nomination, Team

from ..factories import complete_sign_in, make_officer

pytestmark = pytest.mark.django_db


def team(sel, *, members=("aalto", "carlsson"), leader="carlsson", actor="coordinator", equipment=""):
    return services.nominate_team(actor=sel["users"][actor], call_position=sel["cp"], name="Forensic team",
                                  leader=sel[leader], members=[sel[m] for m in members], equipment=equipment)


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_a_team_is_one_nomination_per_member_each_awaiting_release(sel):
    created = team(sel, equipment="Evidence kit\n\n  Camera  \n")
    nominations = Nomination.objects.filter(team=created).order_by("officer__last_name")
    assert [(n.officer.last_name, n.status, n.origin) for n in nominations] == [
        ("Aalto", "awaiting_release", "coordinator"), ("Carlsson", "awaiting_release", "coordinator")]
    assert (created.leader, created.equipment_items) == (sel["carlsson"], ["Evidence kit", "Camera"])


def test_a_team_is_audited_with_its_members_and_their_nominations(sel):
    created = team(sel)
    entry = AuditEntry.objects.get(object_type="selection.team", action="create")
    assert entry.detail["officer_ids"] == [sel["aalto"].pk, sel["carlsson"].pk]
    assert sorted(entry.detail["nomination_ids"]) == sorted(Nomination.objects.filter(team=created)
                                                            .values_list("pk", flat=True))
    assert AuditEntry.objects.filter(object_type="selection.nomination", action="create").count() == 2


def test_the_leader_must_be_a_member(sel):
    third = make_officer(sel["pools"][0], last_name="Dahl")
    sel["dahl"] = third
    with pytest.raises(ValidationError) as error:
        team(sel, leader="dahl")
    assert error.value.messages == ["The team leader must be one of its members."]
    assert (Team.objects.count(), Nomination.objects.count()) == (0, 0)


def test_a_team_larger_than_the_posts_is_refused(sel):
    sel["dahl"] = make_officer(sel["pools"][0], last_name="Dahl")
    with pytest.raises(ValidationError) as error:
        team(sel, members=("aalto", "carlsson", "dahl"))
    assert error.value.messages == ["The position has 2 posts: a team of 3 does not fit."]
    assert (Team.objects.count(), Nomination.objects.count()) == (0, 0)


def test_a_team_of_one_is_refused(sel):
    with pytest.raises(ValidationError) as error:
        team(sel, members=("carlsson",))
    assert error.value.messages == ["A team has at least two members."]


def test_a_member_already_a_candidate_refuses_the_whole_team(sel):
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    with pytest.raises(ValidationError) as error:
        team(sel)
    assert error.value.messages == ["Aino Aalto is already a candidate for this position."]
    assert (Team.objects.count(), Nomination.objects.count()) == (0, 1)


def test_a_coordinator_of_another_pool_cannot_nominate_the_team(sel):
    with pytest.raises(PermissionDenied):
        team(sel, actor="coordinator_beta")
    assert Team.objects.count() == 0


def test_the_team_form_nominates_and_the_call_page_shows_leader_and_equipment(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    url = f"/selection/call-positions/{sel['cp'].pk}/team/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Forensic team", "members": [sel["aalto"].pk, sel["carlsson"].pk],
                                 "leader": sel["carlsson"].pk, "equipment": "Evidence kit\nCamera"})
    assert response.status_code == 302
    page = client.get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    assert page.count("<span class=\"badge\">Team Forensic team") == 2
    assert page.count("team leader") == 1
    assert "<li>Evidence kit</li><li>Camera</li>" in page


def test_the_team_form_refuses_a_leader_outside_the_team_and_changes_nothing(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/call-positions/{sel['cp'].pk}/team/",
                           {"name": "Forensic team", "members": [sel["aalto"].pk], "leader": sel["carlsson"].pk})
    assert response.status_code == 400
    assert "The team leader must be one of its members." in response.content.decode()
    assert Nomination.objects.count() == 0


def test_the_team_form_is_refused_to_a_line_manager(client, sel):
    response = signed_in(client, sel["users"]["hr"]).get(f"/selection/call-positions/{sel['cp'].pk}/team/")
    assert response.status_code == 403


def test_a_team_through_the_api(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post("/api/selection/teams", content_type="application/json", data=json.dumps({
        "call_position": sel["cp"].pk, "name": "Forensic team", "members": [sel["aalto"].pk, sel["carlsson"].pk],
        "leader": sel["aalto"].pk, "equipment": "Evidence kit"}))
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["leader_id"], body["equipment"]) == ("Forensic team", sel["aalto"].pk, ["Evidence kit"])
    assert [n["team_id"] for n in body["nominations"]] == [body["id"], body["id"]]


def test_an_unknown_member_through_the_api_is_a_400_naming_the_field(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post("/api/selection/teams", content_type="application/json", data=json.dumps({
        "call_position": sel["cp"].pk, "name": "Forensic team", "members": [sel["aalto"].pk, 987654],
        "leader": sel["aalto"].pk}))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["members"]
    assert Nomination.objects.count() == 0
