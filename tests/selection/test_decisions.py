"""Decisions on the record: proposed by one coordinator, approved by another who neither proposed
it nor nominated the candidate; a departure from the optimal assignment (or the ranked order) needs a
written justification stored with the decision; everything in the audit log."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.secondments.models import Secondment
from dividend.selection import services
from dividend.selection.models import AssignmentRun, Decision

from ..factories import (
    complete_sign_in,
    make_user,
)
from .conftest import make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def dec(sel):
    """Aalto nominated by the pool's coordinator, Carlsson by the national one; both released. A second
    national coordinator."""
    users = sel["users"]
    na = services.release(actor=users["hr"], nomination=services.nominate(
        actor=users["coordinator"], call_position=sel["cp"], officer=sel["aalto"]))
    nc = services.release(actor=users["hr"], nomination=services.nominate(
        actor=users["national"], call_position=sel["cp"], officer=sel["carlsson"]))
    return {"na": na, "nc": nc, "national2": make_user(Role.COORDINATOR, national=True, username="national2")}


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def propose(sel, nomination, actor="coordinator", outcome="not_selected", **kwargs):
    return services.propose_decision(actor=sel["users"][actor], nomination=nomination, outcome=outcome,
                                     feedback=kwargs.pop("feedback", "Thank you."), **kwargs)


def test_the_person_who_nominated_the_candidate_cannot_approve(sel, dec):
    decision = propose(sel, dec["nc"], actor="coordinator")  # Carlsson: nominated by the national coordinator
    with pytest.raises(PermissionDenied) as error:
        services.approve_decision(actor=sel["users"]["national"], decision=decision)
    assert str(error.value) == "You proposed this candidate: another coordinator approves the decision."
    decision.refresh_from_db()
    dec["nc"].refresh_from_db()
    assert (decision.status, dec["nc"].status) == ("proposed", "released")


def test_the_person_who_proposed_the_decision_cannot_approve(sel, dec):
    decision = propose(sel, dec["na"], actor="national")  # Aalto: nominated by the pool's coordinator
    with pytest.raises(PermissionDenied) as error:
        services.approve_decision(actor=sel["users"]["national"], decision=decision)
    assert str(error.value) == "You proposed this decision: another coordinator approves it."
    with pytest.raises(PermissionDenied):  # nor the one who nominated Aalto
        services.approve_decision(actor=sel["users"]["coordinator"], decision=decision)
    approved = services.approve_decision(actor=dec["national2"], decision=decision)
    dec["na"].refresh_from_db()
    assert (approved.status, approved.proposed_by, approved.decided_by) == ("approved", sel["users"]["national"],
                                                                            dec["national2"])
    assert (dec["na"].status, dec["na"].feedback) == ("not_selected", "Thank you.")


def test_a_coordinator_of_another_pool_neither_proposes_nor_approves(sel, dec):
    with pytest.raises(PermissionDenied):
        propose(sel, dec["na"], actor="coordinator_beta")
    decision = propose(sel, dec["na"], actor="national")
    with pytest.raises(PermissionDenied):
        services.approve_decision(actor=sel["users"]["coordinator_beta"], decision=decision)


def _run(sel, assigned):
    pairs = [{"nomination": n.pk, "candidate": "C-1", "officer_id": n.officer_id, "call_position": sel["cp"].pk,
              "post": k + 1, "score": 80.0} for k, n in enumerate(assigned)]
    return AssignmentRun.objects.create(call=sel["call"], created_by=sel["users"]["coordinator"],
                                        created_at=timezone.now(), parameters={}, status="optimal", total_score=80.0,
                                        result={"optimal": {"pairs": pairs}})


def test_selecting_outside_the_optimal_assignment_needs_a_justification(sel, dec):
    make_eligible(sel["carlsson"])  # the only eligible one: the ranked order selects them
    run = _run(sel, [dec["na"]])
    with pytest.raises(ValidationError) as error:
        propose(sel, dec["nc"], outcome="selected", start_date=dt.date(2027, 3, 1))
    assert error.value.message_dict == {
        "justification": ["This decision departs from the optimal assignment: write the justification."]}
    assert Decision.objects.count() == 0
    decision = propose(sel, dec["nc"], outcome="selected", start_date=dt.date(2027, 3, 1),
                       justification="Only Carlsson holds the required Serbian; the run predates his test.")
    assert (decision.departures, decision.assignment_run, decision.justification) == (
        ["assignment"], run, "Only Carlsson holds the required Serbian; the run predates his test.")
    entry = AuditEntry.objects.get(object_type="selection.decision", action="create")
    assert (entry.detail["departures"], entry.detail["justification"], entry.detail["assignment_run_id"]) == (
        ["assignment"], decision.justification, run.pk)


def test_not_selecting_someone_the_assignment_chose_needs_a_justification(sel, dec):
    _run(sel, [dec["na"]])
    with pytest.raises(ValidationError):
        propose(sel, dec["na"], actor="national", outcome="reserve")
    decision = propose(sel, dec["na"], actor="national", outcome="reserve", justification="Release withdrawn by phone")
    assert decision.departures == ["assignment"]


def test_following_the_assignment_needs_no_justification(sel, dec):
    make_eligible(sel["aalto"])  # the only eligible one: the ranked order selects them
    _run(sel, [dec["na"]])
    selected = propose(sel, dec["na"], actor="national", outcome="selected", start_date=dt.date(2027, 3, 1))
    not_selected = propose(sel, dec["nc"], outcome="not_selected")
    assert (selected.departures, not_selected.departures) == ([], [])


def test_an_infeasible_run_is_not_compared_with(sel, dec):
    make_eligible(sel["carlsson"])  # the only eligible one: the ranked order selects them
    run = _run(sel, [dec["na"]])
    AssignmentRun.objects.filter(pk=run.pk).update(status="infeasible")
    assert propose(sel, dec["nc"], outcome="selected", start_date=dt.date(2027, 3, 1)).departures == []


def test_approval_records_the_outcome_the_secondment_and_the_audit(sel, dec):
    make_eligible(sel["aalto"])  # the only eligible one: the ranked order selects them
    decision = propose(sel, dec["na"], actor="national", outcome="selected", start_date=dt.date(2027, 3, 1),
                       feedback="Welcome aboard.")
    services.approve_decision(actor=dec["national2"], decision=decision)
    dec["na"].refresh_from_db()
    secondment = Secondment.objects.get()
    assert (dec["na"].status, dec["na"].secondment, secondment.status) == ("selected", secondment, "selected")
    actions = list(AuditEntry.objects.filter(object_type__in=["selection.decision", "selection.nomination",
                                                              "secondments.secondment"])
                   .exclude(action="list").order_by("id").values_list("object_type", "action"))
    assert actions[-4:] == [("selection.decision", "create"), ("secondments.secondment", "create"),
                            ("selection.nomination", "status"), ("selection.decision", "decide")]


def test_one_proposal_at_a_time_and_a_decided_one_stays_decided(sel, dec):
    decision = propose(sel, dec["na"], actor="national")
    with pytest.raises(ValidationError) as error:
        propose(sel, dec["na"], actor="national")
    assert error.value.messages == ["A decision on this nominee awaits approval already."]
    services.reject_decision(actor=dec["national2"], decision=decision, reason="Feedback too short")
    with pytest.raises(ValidationError) as error:
        services.approve_decision(actor=dec["national2"], decision=decision)
    assert error.value.messages == ["This decision is rejected already."]
    dec["na"].refresh_from_db()
    assert dec["na"].status == "released"


def test_a_rejection_needs_a_reason(sel, dec):
    decision = propose(sel, dec["na"], actor="national")
    with pytest.raises(ValidationError) as error:
        services.reject_decision(actor=dec["national2"], decision=decision, reason="  ")
    assert error.value.message_dict == {"reason": ["Give the reason for rejecting the decision."]}


def test_the_decisions_page_approves_and_shows_who_did_what(client, sel, dec):
    decision = propose(sel, dec["na"], actor="national", justification="")
    signed_in(client, sel["users"]["coordinator"])
    page = client.get(f"/selection/calls/{sel['call'].pk}/decisions/").content.decode()
    assert f'id="decision-{decision.pk}"' in page and "Aino Aalto" in page
    assert f'action="/selection/decisions/{decision.pk}/review/"' not in page  # Aalto's nominator
    client.logout()
    signed_in(client, dec["national2"])
    assert f'action="/selection/decisions/{decision.pk}/review/"' in client.get(
        f"/selection/calls/{sel['call'].pk}/decisions/").content.decode()
    assert client.post(f"/selection/decisions/{decision.pk}/review/", {"decision": "reject"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "proposed"  # no reason: refused
    client.post(f"/selection/decisions/{decision.pk}/review/", {"decision": "approve"})
    decision.refresh_from_db()
    assert (decision.status, decision.decided_by) == ("approved", dec["national2"])


def test_the_decisions_page_runs_a_fixed_number_of_queries(client, sel, dec):
    signed_in(client, dec["national2"])
    propose(sel, dec["na"], actor="national")
    url = f"/selection/calls/{sel['call'].pk}/decisions/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    propose(sel, dec["nc"], actor="coordinator")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many) == 12


def test_the_outcome_form_proposes_and_refuses_a_departure_without_justification(client, sel, dec):
    make_eligible(sel["carlsson"])  # the only eligible one: the ranked order selects them
    _run(sel, [dec["na"]])
    signed_in(client, sel["users"]["national"])
    response = client.post(f"/selection/nominations/{dec['nc'].pk}/outcome/",
                           {"outcome": "selected", "feedback": "Welcome", "start_date": "2027-03-01"})
    assert response.status_code == 400
    assert "This decision departs from the optimal assignment: write the justification." in response.content.decode()
    assert Decision.objects.count() == 0
    response = client.post(f"/selection/nominations/{dec['nc'].pk}/outcome/",
                           {"outcome": "selected", "feedback": "Welcome", "start_date": "2027-03-01",
                            "justification": "Serbian speaker"})
    assert response.status_code == 302
    assert Decision.objects.get().justification == "Serbian speaker"


def test_the_api_proposes_lists_and_reviews(client, sel, dec):
    signed_in(client, sel["users"]["national"])
    response = client.post(f"/api/selection/nominations/{dec['na'].pk}/outcome",
                           data=json.dumps({"outcome": "not_selected", "feedback": "Next time"}),
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["proposed_by"], body["departures"]) == ("proposed", "national", [])
    response = client.post(f"/api/selection/decisions/{body['id']}/review", data=json.dumps({"decision": "approve"}),
                           content_type="application/json")
    assert response.status_code == 403
    client.logout()
    signed_in(client, dec["national2"])
    response = client.post(f"/api/selection/decisions/{body['id']}/review", data=json.dumps({"decision": "maybe"}),
                           content_type="application/json")
    assert response.status_code == 400
    response = client.post(f"/api/selection/decisions/{body['id']}/review", data=json.dumps({"decision": "approve"}),
                           content_type="application/json")
    assert (response.status_code, response.json()["status"], response.json()["decided_by"]) == (
        200, "approved", "national2")
    listed = client.get(f"/api/selection/calls/{sel['call'].pk}/decisions").json()
    assert [(d["id"], d["outcome"], d["status"]) for d in listed] == [(body["id"], "not_selected", "approved")]
