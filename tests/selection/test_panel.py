"""The selection panel: independent scoring with the blind rule, final scores, and anonymised
candidate summaries that leak no name, pool, gender or service number (pages and API)."""

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role, RoleAssignment, Scope
from dividend.selection import services
from dividend.selection.models import Call, PanelScore
from dividend.selection.panel import pseudonyms

from ..factories import (
    complete_sign_in,
    make_officer,
    make_user,
)
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def panel_member(call, username):
    user = make_user(None, username=username)
    RoleAssignment.objects.create(user=user, role=Role.PANEL_MEMBER, scope=Scope.OBJECT, object_type="selection.call",
                                  object_id=call.pk)
    return user


@pytest.fixture
def panel(sel):
    """Two nominees of pool alpha with skills, languages and qualifications (Zelda Quixote, a woman;
    Xavier Umberto, a man), released; two panel members scoped to the call."""
    alpha = sel["pools"][0]
    zelda = make_officer(alpha, first_name="Zelda", last_name="Quixote", gender="female", service_number="SNZQ771",
                         service_start=dt.date(2011, 1, 1),
                         skills=[("criminal_investigation", 3)], languages=[("en", 5, 5, 4)],
                         qualifications=[("passport", dt.date(2020, 1, 1), dt.date(2035, 1, 1))],
                         countries=["SRB"], themes=["organised_crime"])
    xavier = make_officer(alpha, first_name="Xavier", last_name="Umberto", gender="male", service_number="SNXU882",
                          skills=[("training", 2)], languages=[("fr", 3, 4, 2)])
    coordinator, hr = sel["users"]["coordinator"], sel["users"]["hr"]
    nz = services.nominate(actor=coordinator, call_position=sel["cp"], officer=zelda, motivation="Zelda speaks Serbian")
    nx = services.nominate(actor=coordinator, call_position=sel["cp"], officer=xavier)
    for n in (nz, nx):
        services.release(actor=hr, nomination=n)
    return {"zelda": zelda, "xavier": xavier, "nz": nz, "nx": nx,
            "p1": panel_member(sel["call"], "panel-one"), "p2": panel_member(sel["call"], "panel-two")}


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_pseudonyms_follow_the_first_nomination_and_stay_stable(sel, panel):
    assert pseudonyms(sel["call"]) == {panel["zelda"].pk: "C-1", panel["xavier"].pk: "C-2"}
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    assert pseudonyms(sel["call"]) == {panel["zelda"].pk: "C-1", panel["xavier"].pk: "C-2", sel["aalto"].pk: "C-3"}


def test_a_member_sees_the_others_scores_only_after_submitting_their_own(client, sel, panel):
    services.submit_panel_score(actor=panel["p2"], nomination=panel["nz"], score=70, comment="Solid investigator")
    page = signed_in(client, panel["p1"]).get(f"/selection/calls/{sel['call'].pk}/panel/").content.decode()
    assert "1 score submitted, shown once you submit yours." in page
    assert "Solid investigator" not in page and "panel-two" not in page
    assert client.get(f"/api/selection/calls/{sel['call'].pk}/panel-scores").json() == []
    response = client.post(f"/selection/nominations/{panel['nz'].pk}/score/", {"score": "55", "comment": "Good"})
    assert response.status_code == 302
    page = client.get(f"/selection/calls/{sel['call'].pk}/panel/").content.decode()
    assert "<li>panel-two: 70 – Solid investigator</li>" in page
    assert "Mean: <strong>62.5</strong>" in page
    scores = client.get(f"/api/selection/calls/{sel['call'].pk}/panel-scores").json()
    assert [(s["member"], s["score"], s["comment"]) for s in scores] == [
        ("panel-two", 70, "Solid investigator"), ("panel-one", 55, "Good")]
    # Xavier: nobody scored him yet; p1 sees nothing of him either way
    summaries = {s["candidate"]: s for s in client.get(f"/api/selection/calls/{sel['call'].pk}/panel").json()}
    assert (summaries["C-1"]["scores_visible"], summaries["C-1"]["mean"]) == (True, 62.5)
    assert (summaries["C-2"]["scores_visible"], summaries["C-2"]["scores"], summaries["C-2"]["score_count"]) == (
        False, None, 0)


def test_the_blind_rule_holds_on_the_api_per_nominee(client, sel, panel):
    services.submit_panel_score(actor=panel["p2"], nomination=panel["nz"], score=70)
    services.submit_panel_score(actor=panel["p2"], nomination=panel["nx"], score=40)
    services.submit_panel_score(actor=panel["p1"], nomination=panel["nx"], score=45)
    signed_in(client, panel["p1"])
    scores = client.get(f"/api/selection/calls/{sel['call'].pk}/panel-scores").json()
    assert sorted((s["nomination_id"], s["member"], s["score"]) for s in scores) == sorted([
        (panel["nx"].pk, "panel-two", 40), (panel["nx"].pk, "panel-one", 45)])


def test_the_calls_coordinator_reads_every_score_but_does_not_score(client, sel, panel):
    services.submit_panel_score(actor=panel["p2"], nomination=panel["nz"], score=70)
    coordinator = sel["users"]["coordinator"]
    with pytest.raises(PermissionDenied):
        services.submit_panel_score(actor=coordinator, nomination=panel["nz"], score=50)
    scores = signed_in(client, coordinator).get(f"/api/selection/calls/{sel['call'].pk}/panel-scores").json()
    assert [(s["member"], s["score"]) for s in scores] == [("panel-two", 70)]


def test_a_submitted_score_is_final_and_audited(sel, panel):
    services.submit_panel_score(actor=panel["p1"], nomination=panel["nz"], score=80, comment="Strong")
    with pytest.raises(ValidationError) as error:
        services.submit_panel_score(actor=panel["p1"], nomination=panel["nz"], score=90)
    assert error.value.messages == ["You have scored this nominee already: a submitted score is final."]
    assert list(PanelScore.objects.values_list("score", flat=True)) == [80]
    entry = AuditEntry.objects.get(object_type="selection.panelscore", action="submit")
    assert (entry.detail["score"], entry.detail["nomination_id"], entry.detail["call_id"]) == (
        80, panel["nz"].pk, sel["call"].pk)


@pytest.mark.parametrize("score", [-1, 101, 1000, 50.5, True])
def test_scores_out_of_range_are_refused_by_the_workflow(sel, panel, score):
    with pytest.raises(ValidationError) as error:
        services.submit_panel_score(actor=panel["p1"], nomination=panel["nz"], score=score)
    assert error.value.message_dict == {"score": ["A score is a whole number from 0 to 100."]}
    assert PanelScore.objects.count() == 0


@pytest.mark.parametrize("body, field, message", [
    ({"score": 101}, "score", "Ensure this value is less than or equal to 100."),
    ({"score": -5}, "score", "Ensure this value is greater than or equal to 0."),
    ({"score": 50, "comment": "x" * 2001}, "comment", None),
])
def test_bad_scores_on_the_api_are_a_400_and_change_nothing(client, sel, panel, body, field, message):
    signed_in(client, panel["p1"])
    response = client.post(f"/api/selection/nominations/{panel['nz'].pk}/panel-score", data=json.dumps(body),
                           content_type="application/json")
    assert response.status_code in (400, 422)
    assert field in json.dumps(response.json())
    if message:
        assert message in json.dumps(response.json())
    assert PanelScore.objects.count() == 0


def test_a_bad_score_on_the_page_is_refused_with_a_message(client, sel, panel):
    signed_in(client, panel["p1"])
    response = client.post(f"/selection/nominations/{panel['nz'].pk}/score/", {"score": "abc"}, follow=True)
    assert "Score not recorded: Enter a whole number." in response.content.decode()
    assert PanelScore.objects.count() == 0


def test_the_api_scores_and_answers_201(client, sel, panel):
    signed_in(client, panel["p1"])
    response = client.post(f"/api/selection/nominations/{panel['nz'].pk}/panel-score",
                           data=json.dumps({"score": 64, "comment": "Fine"}), content_type="application/json")
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("nomination_id", "member", "score", "comment")} == {
        "nomination_id": panel["nz"].pk, "member": "panel-one", "score": 64, "comment": "Fine"}


def test_scoring_stops_when_the_nominations_are_sent(sel, panel):
    services.change_call_status(actor=sel["users"]["coordinator"], call=sel["call"], status=Call.Status.NATIONAL_SELECTION)
    services.change_call_status(actor=sel["users"]["coordinator"], call=sel["call"], status=Call.Status.NOMINATIONS_SENT)
    sel["cp"].call.refresh_from_db()
    panel["nz"].call_position.call.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.submit_panel_score(actor=panel["p1"], nomination=panel["nz"], score=50)
    assert error.value.messages == [
        "The call is nominations sent: the panel scores while it is open or in national selection."]


def test_a_panel_member_of_another_call_cannot_score(client, sel, panel):
    other = services.create_call(actor=sel["users"]["national"], pools=[sel["pools"][0]], organisation="eu_csdp",
                                 kind="regular", reference="EU-OTHER", title="Other", published_on=TODAY,
                                 organisation_deadline=TODAY + dt.timedelta(days=9),
                                 national_deadline=TODAY + dt.timedelta(days=5))
    outsider = panel_member(other, "panel-elsewhere")
    signed_in(client, outsider)
    assert client.get(f"/selection/calls/{sel['call'].pk}/panel/").status_code == 404
    response = client.post(f"/api/selection/nominations/{panel['nz'].pk}/panel-score",
                           data=json.dumps({"score": 50}), content_type="application/json")
    assert response.status_code == 404
    assert PanelScore.objects.count() == 0


# --- Anonymisation -----------------------------------------------------------------------------------

GENDER_WORDS = re.compile(r"\b(female|male|woman|women|man|men|gender|Frau|Mann|femme|homme)\b", re.IGNORECASE)


def _leaks(text, sel, panel):
    found = []
    for officer in (panel["zelda"], panel["xavier"]):
        for value in (officer.first_name, officer.last_name, officer.service_number, officer.email):
            if value and value in text:
                found.append(value)
    alpha = sel["pools"][0]
    for value in (alpha.name, alpha.code):
        if re.search(rf"\b{re.escape(value)}\b", text, re.IGNORECASE):
            found.append(value)
    found += GENDER_WORDS.findall(text)
    if "Serbian" in text:  # the motivation text (it may name or describe the officer)
        found.append("motivation")
    return found


def test_the_panel_page_and_api_leak_no_name_pool_gender_or_service_number(client, sel, panel):
    services.submit_panel_score(actor=panel["p2"], nomination=panel["nz"], score=70)
    services.submit_panel_score(actor=panel["p1"], nomination=panel["nz"], score=60)
    signed_in(client, panel["p1"])
    page = client.get(f"/selection/calls/{sel['call'].pk}/panel/").content.decode()
    main = page[page.index("<main"):page.index("</main>")] if "<main" in page else page
    assert "Candidate C-1" in main and "Candidate C-2" in main
    assert "Criminal investigation (3)" in main and "English B2" in main
    assert "Passport: <span class=\"badge ok\">yes</span>" in main
    assert _leaks(main, sel, panel) == []
    for url in (f"/api/selection/calls/{sel['call'].pk}/panel", f"/api/selection/calls/{sel['call'].pk}/panel-scores"):
        body = client.get(url).content.decode()
        assert _leaks(body, sel, panel) == [], url
        assert str(panel["zelda"].pk) not in re.findall(r'"officer_id": ?(\d+)', body)
    summary = next(s for s in client.get(f"/api/selection/calls/{sel['call'].pk}/panel").json()
                   if s["candidate"] == "C-1")
    assert set(summary) == {"nomination_id", "candidate", "label", "call_position_id", "position", "mission", "status",
                            "skills", "languages", "country_expertise", "thematic_expertise", "earlier_missions",
                            "mission_months", "service_years", "qualifications", "own_score", "scores_visible", "score_count",
                            "scores", "mean"}
    assert (summary["skills"], summary["languages"], summary["qualifications"], summary["service_years"]) == (
        [{"skill": "Criminal investigation", "level": 3}], [{"language": "English", "level": "B2"}],
        [{"qualification": "Passport", "valid": True}], (TODAY + dt.timedelta(days=100)).year - 2011)
    assert f"{(TODAY + dt.timedelta(days=100)).year - 2011} years of police service" in main


def test_the_panel_page_runs_a_fixed_number_of_queries(client, sel, panel):
    signed_in(client, panel["p1"])
    url = f"/selection/calls/{sel['call'].pk}/panel/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        officer = make_officer(sel["pools"][0], skills=[("training", 2)], languages=[("en", 3, 3, 3)],
                               qualifications=[("passport", dt.date(2020, 1, 1), dt.date(2035, 1, 1))])
        services.submit_panel_score(actor=panel["p2"], nomination=services.release(
            actor=sel["users"]["hr"], nomination=services.nominate(actor=sel["users"]["coordinator"],
                                                                   call_position=sel["cp"], officer=officer)),
            score=50 + n)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many) == 23


def test_the_panel_decision_and_assignment_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/selection/calls/{call_id}/panel": {"get"},
        "/api/selection/calls/{call_id}/panel-scores": {"get"},
        "/api/selection/nominations/{nomination_id}/panel-score": {"post"},
        "/api/selection/nominations/{nomination_id}/outcome": {"post"},
        "/api/selection/calls/{call_id}/decisions": {"get"},
        "/api/selection/decisions/{decision_id}/review": {"post"},
        "/api/selection/calls/{call_id}/assignment-runs": {"post"},
        "/api/selection/assignment-runs/{run_id}": {"get"},
    }
    assert {path: set(paths[path]) for path in expected} == expected
    assert {paths[p][m]["tags"][0] for p, methods in expected.items() for m in methods} == {"selection"}


def test_with_htmx_the_nominees_row_comes_back_with_the_others_scores(client, sel, panel):
    services.submit_panel_score(actor=panel["p2"], nomination=panel["nz"], score=70, comment="Solid")
    signed_in(client, panel["p1"])
    url = f"/selection/nominations/{panel['nz'].pk}/score/"
    response = client.post(url, {"score": "101"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    body = response.content.decode()
    assert body.startswith(f'<tr id="panel-nomination-{panel["nz"].pk}">')
    assert "Score not recorded: Ensure this value is less than or equal to 100." in body
    assert "Solid" not in body
    response = client.post(url, {"score": "60"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<li>panel-two: 70 – Solid</li>" in body and "Your score: <strong>60</strong>" in body
    assert _leaks(body, sel, panel) == []
