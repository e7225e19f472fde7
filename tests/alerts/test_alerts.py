"""Rapid deployment alerts (issue 11 §4): sending from the crisis query, answers with their time,
deploying the chosen and standing the rest down (everyone told by e-mail on commit), the figures,
the pages and the API; bad input refused with nothing changed."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dividend.alerts import services
from dividend.alerts.models import Alert, Recipient, figures
from dividend.audit.models import AuditEntry
from dividend.reference.models import ThematicArea
from dividend.secondments.models import Secondment

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def send(world, *names, actor="coordinator", position=None, **fields):
    return services.create_alert(
        actor=world["users"][actor], title=fields.pop("title", "Hurricane in Haiti"),
        message=fields.pop("message", "Liaison officers needed at once."), start_date=TODAY + dt.timedelta(days=3),
        end_date=TODAY + dt.timedelta(days=93), position=position,
        officers=[world["officers"][n] for n in names], base_url="https://dividend.example", **fields)


def answer(world, alert, name, value="available", note=""):
    recipient = Recipient.objects.get(alert=alert, officer=world["officers"][name])
    return services.reply(actor=world["users"][name], recipient=recipient, answer=value, note=note)


def snapshot(alert):
    alert.refresh_from_db()
    return (alert.status, alert.status_changed_at,
            sorted(Recipient.objects.filter(alert=alert).values_list("officer_id", "answer", "answered_at", "outcome",
                                                                     "secondment_id")),
            Secondment.objects.count(), AuditEntry.objects.count())


# --- Sending ----------------------------------------------------------------------------------------

def test_an_alert_goes_to_each_chosen_officer_with_an_address_once_committed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alert = send(world, "aalto", "berg", "dahl")
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["aino.aalto@example.org", "bo.berg@example.org"]
    assert mail.outbox[0].subject == "Rapid deployment alert: Hurricane in Haiti"
    assert f"https://dividend.example/alerts/{alert.pk}/answer/" in mail.outbox[0].body
    assert set(alert.recipients.values_list("answer", "outcome")) == {("no_answer", "waiting")}
    entry = AuditEntry.objects.filter(action="create", object_type="alerts.alert").get()
    assert entry.detail["officer_ids"] == sorted(world["officers"][n].pk for n in ("aalto", "berg", "dahl"))


def test_an_empty_recipient_list_is_refused(world):
    with pytest.raises(ValidationError, match="Choose at least one officer to alert"):
        send(world)
    assert Alert.objects.count() == 0


def test_an_officer_outside_the_coordinators_pools_is_refused_and_nothing_is_sent(world):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied, match="Cai Carlsson"):
        send(world, "aalto", "carlsson")
    assert (Alert.objects.count(), Recipient.objects.count(), AuditEntry.objects.count()) == (0, 0, before)


def test_a_return_before_the_departure_is_refused(world):
    with pytest.raises(ValidationError, match="return is before the departure"):
        services.create_alert(actor=world["users"]["coordinator"], title="T", message="M", start_date=TODAY,
                              end_date=TODAY - dt.timedelta(days=1), officers=[world["officers"]["aalto"]])
    assert Alert.objects.count() == 0


def test_only_coordinators_send_alerts(world):
    with pytest.raises(PermissionDenied):
        send(world, "aalto", actor="hr")


# --- Answers ----------------------------------------------------------------------------------------

def test_a_secondee_answers_once_and_the_time_is_kept(world, monkeypatch):
    alert = send(world, "aalto", "berg")
    at = timezone.now() + dt.timedelta(minutes=7)
    monkeypatch.setattr(timezone, "now", lambda: at)
    recipient = answer(world, alert, "aalto", "available", note="Can leave Thursday")
    assert (recipient.answer, recipient.answered_at, recipient.note) == ("available", at, "Can leave Thursday")
    entry = AuditEntry.objects.filter(object_type="alerts.recipient", action="update").get()
    assert entry.detail["changes"] == {"answer": {"old": "no_answer", "new": "available"}}


def test_answering_twice_is_refused_and_the_first_answer_stays(world):
    alert = send(world, "aalto")
    answer(world, alert, "aalto", "available")
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="You answered this alert already"):
        answer(world, alert, "aalto", "not_available")
    assert snapshot(alert) == before


def test_answering_a_closed_alert_is_refused(world):
    alert = send(world, "aalto", "berg")
    answer(world, alert, "aalto")
    services.deploy(actor=world["users"]["coordinator"], alert=alert, officers=[world["officers"]["aalto"]])
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="This alert is closed"):
        answer(world, alert, "berg")
    assert snapshot(alert) == before


def test_nobody_answers_for_someone_else(world):
    alert = send(world, "aalto")
    recipient = Recipient.objects.get(alert=alert)
    for who in ("berg", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.reply(actor=world["users"][who], recipient=recipient, answer="available")
    assert Recipient.objects.get(alert=alert).answer == "no_answer"


@pytest.mark.parametrize("value", ["no_answer", "maybe", ""])
def test_an_answer_outside_the_two_is_refused(world, value):
    alert = send(world, "aalto")
    with pytest.raises(ValidationError, match="Answer available or not available"):
        answer(world, alert, "aalto", value)


# --- Transitions ------------------------------------------------------------------------------------

def test_the_transition_table():
    assert Alert.TRANSITIONS == {"open": {"closed", "stood_down"}, "closed": set(), "stood_down": set()}


@pytest.mark.parametrize("first", ["deploy", "stand_down"])
@pytest.mark.parametrize("second", ["deploy", "stand_down"])
def test_an_alert_that_is_over_moves_no_more(world, first, second):
    alert = send(world, "aalto", "berg")
    answer(world, alert, "aalto")
    moves = {"deploy": lambda: services.deploy(actor=world["users"]["coordinator"], alert=alert,
                                               officers=[world["officers"]["aalto"]]),
             "stand_down": lambda: services.stand_down(actor=world["users"]["coordinator"], alert=alert,
                                                       reason="Called off")}
    moves[first]()
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="This alert is (closed|stood down)"):
        moves[second]()
    assert snapshot(alert) == before


def test_deploying_fills_the_alert_creates_the_secondments_and_tells_everyone_else(
        world, django_capture_on_commit_callbacks):
    alert = send(world, "aalto", "berg", "dahl", position=world["position"])
    answer(world, alert, "aalto")
    answer(world, alert, "berg")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deploy(actor=world["users"]["coordinator"], alert=alert, officers=[world["officers"]["aalto"]],
                        reason="One liaison officer is enough", base_url="https://dividend.example")
    alert.refresh_from_db()
    assert (alert.status, alert.status_changed_by, alert.status_reason) == (
        "closed", world["users"]["coordinator"], "One liaison officer is enough")
    outcomes = dict(alert.recipients.values_list("officer__last_name", "outcome"))
    assert outcomes == {"Aalto": "deployed", "Berg": "stood_down", "Dahl": "stood_down"}
    secondment = Secondment.objects.get()
    assert (secondment.officer, secondment.position, secondment.start_date, secondment.end_date) == (
        world["officers"]["aalto"], world["position"], alert.start_date, alert.end_date)
    assert alert.recipients.get(officer__last_name="Aalto").secondment == secondment
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("aino.aalto@example.org", "Deployment confirmed: Hurricane in Haiti"),
        ("bo.berg@example.org", "Stand down: Hurricane in Haiti")]
    told = dict(alert.recipients.values_list("officer__last_name", "told_at"))
    assert told["Berg"] == alert.status_changed_at and told["Dahl"] is None  # Dahl has no address
    entry = AuditEntry.objects.filter(object_type="alerts.alert", action="status").get()
    assert entry.detail["deployed_officer_ids"] == [world["officers"]["aalto"].pk]


def test_deploying_without_a_position_records_the_outcome_only(world):
    alert = send(world, "aalto")
    answer(world, alert, "aalto")
    services.deploy(actor=world["users"]["coordinator"], alert=alert, officers=[world["officers"]["aalto"]])
    assert alert.recipients.get().outcome == "deployed"
    assert Secondment.objects.count() == 0


@pytest.mark.parametrize("reply", [None, "not_available"])
def test_deploying_someone_who_did_not_say_available_is_refused(world, reply):
    alert = send(world, "aalto", "berg", position=world["position"])
    answer(world, alert, "aalto")
    if reply:
        answer(world, alert, "berg", reply)
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="Bo Berg did not"):
        services.deploy(actor=world["users"]["coordinator"], alert=alert,
                        officers=[world["officers"]["aalto"], world["officers"]["berg"]])
    assert snapshot(alert) == before


def test_deploying_nobody_or_a_stranger_is_refused(world):
    alert = send(world, "aalto")
    answer(world, alert, "aalto")
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="Choose at least one officer to deploy"):
        services.deploy(actor=world["users"]["coordinator"], alert=alert, officers=[])
    with pytest.raises(ValidationError, match="Not a recipient of this alert"):
        services.deploy(actor=world["users"]["coordinator"], alert=alert, officers=[world["officers"]["berg"]])
    assert snapshot(alert) == before


def test_a_secondment_that_clashes_refuses_the_whole_deployment(world):
    from ..factories import make_secondment

    make_secondment(world["officers"]["aalto"], world["position"], status=Secondment.Status.DEPLOYED,
                    start=TODAY, end=TODAY + dt.timedelta(days=30))
    alert = send(world, "aalto", "berg", position=world["position"])
    answer(world, alert, "aalto")
    answer(world, alert, "berg")
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="overlap"):
        services.deploy(actor=world["users"]["coordinator"], alert=alert,
                        officers=[world["officers"]["berg"], world["officers"]["aalto"]])
    assert snapshot(alert) == before


def test_an_alert_reaching_two_pools_is_deployed_by_a_coordinator_of_both(world):
    alert = send(world, "aalto", "carlsson", actor="national")
    answer(world, alert, "aalto")
    for who in ("coordinator", "coordinator_beta"):
        with pytest.raises(PermissionDenied):
            services.deploy(actor=world["users"][who], alert=alert, officers=[world["officers"]["aalto"]])
    services.deploy(actor=world["users"]["national"], alert=alert, officers=[world["officers"]["aalto"]])
    assert Alert.objects.get().status == "closed"


def test_standing_down_tells_every_recipient_and_needs_a_reason(world, django_capture_on_commit_callbacks):
    alert = send(world, "aalto", "berg")
    answer(world, alert, "aalto")
    before = snapshot(alert)
    with pytest.raises(ValidationError, match="Say why"):
        services.stand_down(actor=world["users"]["coordinator"], alert=alert, reason="  ")
    assert snapshot(alert) == before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.stand_down(actor=world["users"]["coordinator"], alert=alert, reason="Host country declined")
    alert.refresh_from_db()
    assert (alert.status, alert.status_reason) == ("stood_down", "Host country declined")
    assert set(alert.recipients.values_list("outcome", flat=True)) == {"stood_down"}
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("aino.aalto@example.org", "Stand down: Hurricane in Haiti"),
        ("bo.berg@example.org", "Stand down: Hurricane in Haiti")]


# --- Figures ----------------------------------------------------------------------------------------

def test_figures_of_200_recipients_with_a_fixed_clock(world, monkeypatch, client):
    """150 of 200 answer, the i-th (from 1) i minutes after sending, alternately available and not:
    response rate 75.0 %, median time to first reply the mean of the 75th and 76th: 75.5 minutes."""
    from dividend.pools.models import Role

    from ..factories import make_officer, make_user

    alpha = world["pools"][0]
    sent = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: sent)
    people = []
    for i in range(200):
        user = make_user(Role.SECONDEE, pools=[alpha], username=f"rec{i:03d}")
        people.append((user, make_officer(alpha, user=user, email="")))
    alert = services.create_alert(actor=world["users"]["coordinator"], title="Air crash", message="Victim ID",
                                  start_date=dt.date(2026, 12, 3), officers=[o for _, o in people])
    recipients = {r.officer_id: r for r in alert.recipients.all()}
    for i, (user, officer) in enumerate(people[:150]):
        monkeypatch.setattr(timezone, "now", lambda i=i: sent + dt.timedelta(minutes=i + 1))
        services.reply(actor=user, recipient=recipients[officer.pk],
                       answer="available" if i % 2 == 0 else "not_available")
    got = figures(alert.sent_at, alert.recipients.values_list("answer", "answered_at"))
    assert (got.recipients, got.replied, got.available, got.not_available, got.no_answer) == (200, 150, 75, 75, 50)
    assert got.response_rate == 75.0
    assert got.median_reply == dt.timedelta(minutes=75, seconds=30)
    assert got.median_minutes == 75.5
    client.force_login(world["users"]["coordinator"])
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert '<dd id="fig-rate">75.0 %</dd>' in page
    assert '<dd id="fig-median">75.5 min</dd>' in page
    assert '<dd id="fig-recipients">200</dd>' in page
    body = client.get(f"/api/alerts/{alert.pk}").json()["figures"]
    assert body == {"recipients": 200, "replied": 150, "available": 75, "not_available": 75, "no_answer": 50,
                    "response_rate": 75.0, "median_reply_seconds": 4530.0}


def test_figures_before_any_answer():
    got = figures(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), [("no_answer", None)] * 3)
    assert (got.response_rate, got.median_reply, got.median_minutes) == (0.0, None, None)
    assert figures(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), []).response_rate == 0.0


# --- Who sees what ----------------------------------------------------------------------------------

def test_who_sees_an_alert_and_whose_answers(world):
    alert = send(world, "aalto", "carlsson", actor="national")
    users = world["users"]
    seen = {who: Alert.objects.visible_to(u).filter(pk=alert.pk).exists() for who, u in users.items()}
    assert seen == {"coordinator": True, "coordinator_beta": True, "national": True, "hr": False, "aalto": True,
                    "berg": False, "carlsson": True}
    answers = {who: sorted(Recipient.objects.visible_to(u).filter(alert=alert).values_list("officer__last_name",
                                                                                           flat=True))
               for who, u in users.items()}
    assert answers == {"coordinator": ["Aalto"], "coordinator_beta": ["Carlsson"], "national": ["Aalto", "Carlsson"],
                       "hr": [], "aalto": ["Aalto"], "berg": [], "carlsson": ["Carlsson"]}


# --- Pages ------------------------------------------------------------------------------------------

def crisis_query():
    return {"within_days": 14, "duration_months": 3, "theme": ThematicArea.objects.get(code="organised_crime").pk}


def test_the_new_alert_page_runs_the_crisis_query_with_every_found_officer_of_the_pools_ticked(world, client):
    client.force_login(world["users"]["coordinator"])
    response = client.get("/alerts/new/", crisis_query())
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("aalto", "berg", "dahl"):
        assert f'value="{world["officers"][name].pk}" id="officer-{world["officers"][name].pk}" checked' in page
    assert "Carlsson" not in page
    entry = AuditEntry.objects.filter(action="list", object_type="roster.officer").get()
    assert sorted(entry.detail["ids"]) == sorted(world["officers"][n].pk for n in ("aalto", "berg", "dahl"))


def test_sending_from_the_page_keeps_the_query_with_the_alert(world, client):
    client.force_login(world["users"]["coordinator"])
    query = crisis_query()
    url = "/alerts/new/?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = client.post(url, {"officers": [world["officers"]["aalto"].pk], "title": "Flood", "message": "Go",
                                 "start_date": (TODAY + dt.timedelta(days=14)).isoformat(), "end_date": ""})
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alerts/{alert.pk}/"
    assert alert.query == {k: str(v) for k, v in query.items()}
    assert list(alert.recipients.values_list("officer__last_name", flat=True)) == ["Aalto"]


def test_the_page_refuses_an_officer_the_query_did_not_find_and_sends_nothing(world, client):
    client.force_login(world["users"]["national"])
    from ..factories import make_officer

    elsewhere = make_officer(world["pools"][0], last_name="Elsewhere")  # not available: the query skips them
    url = "/alerts/new/?" + "&".join(f"{k}={v}" for k, v in crisis_query().items())
    response = client.post(url, {"officers": [elsewhere.pk], "title": "Flood", "message": "Go",
                                 "start_date": TODAY.isoformat()})
    assert response.status_code == 400
    assert Alert.objects.count() == 0


def test_posting_without_a_query_sends_nothing(world, client):
    client.force_login(world["users"]["coordinator"])
    response = client.post("/alerts/new/", {"officers": [world["officers"]["aalto"].pk], "title": "T",
                                            "message": "M", "start_date": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Run the crisis query first" in response.content.decode()
    assert Alert.objects.count() == 0


def test_the_alert_page_lists_the_answers_in_the_order_they_came_with_literal_queries(
        world, client, django_assert_num_queries):
    alert = send(world, "aalto", "berg", "dahl")
    answer(world, alert, "berg", "not_available")
    answer(world, alert, "aalto")
    client.force_login(world["users"]["coordinator"])
    client.get(f"/alerts/{alert.pk}/")  # the session and roles warmed
    with django_assert_num_queries(12):
        page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert page.index("Bo Berg") < page.index("Aino Aalto") < page.index("Dag Dahl")
    assert 'hx-trigger="every 5s"' in page
    assert f'id="deploy-{world["officers"]["aalto"].pk}"' in page
    assert f'id="deploy-{world["officers"]["berg"].pk}"' not in page  # not available: nothing to tick


def test_the_polled_panel_answers_204_while_nothing_changed_and_logs_nothing(world, client):
    alert = send(world, "aalto", "berg")
    client.force_login(world["users"]["coordinator"])
    response = client.get(f"/alerts/{alert.pk}/replies/", {"seen": "0-open"})
    assert response.status_code == 204
    assert AuditEntry.objects.filter(action="read", object_type="alerts.alert").count() == 0
    answer(world, alert, "aalto")
    response = client.get(f"/alerts/{alert.pk}/replies/", {"seen": "0-open"})
    assert response.status_code == 200
    assert f'hx-get="/alerts/{alert.pk}/replies/?seen=1-open"' in response.content.decode()
    assert AuditEntry.objects.filter(action="read", object_type="alerts.alert").count() == 1


def test_a_closed_alert_is_not_polled(world, client):
    alert = send(world, "aalto")
    services.stand_down(actor=world["users"]["coordinator"], alert=alert, reason="Called off")
    client.force_login(world["users"]["coordinator"])
    assert "hx-trigger" not in client.get(f"/alerts/{alert.pk}/").content.decode()


def test_the_secondee_answers_on_their_page(world, client):
    alert = send(world, "aalto", "berg")
    client.force_login(world["users"]["aalto"])
    assert client.get(f"/alerts/{alert.pk}/").status_code == 403  # the coordinators' page
    response = client.post(f"/alerts/{alert.pk}/answer/", {"answer": "available", "note": "Ready"})
    assert response.status_code == 302
    assert Recipient.objects.get(officer=world["officers"]["aalto"]).answer == "available"
    page = client.get(f"/alerts/{alert.pk}/answer/").content.decode()
    assert "Your answer: <strong>Available</strong>" in page
    response = client.post(f"/alerts/{alert.pk}/answer/", {"answer": "not_available"})
    assert response.status_code == 400
    assert "You answered this alert already" in response.content.decode()
    assert Recipient.objects.get(officer=world["officers"]["aalto"]).answer == "available"


def test_another_secondee_finds_no_answer_page(world, client):
    alert = send(world, "aalto")
    client.force_login(world["users"]["berg"])
    assert client.get(f"/alerts/{alert.pk}/answer/").status_code == 404
    assert client.post(f"/alerts/{alert.pk}/answer/", {"answer": "available"}).status_code == 404


def test_deploy_and_stand_down_from_the_page(world, client):
    alert = send(world, "aalto", "berg")
    answer(world, alert, "aalto")
    client.force_login(world["users"]["coordinator"])
    response = client.post(f"/alerts/{alert.pk}/deploy/", {"officers": [world["officers"]["berg"].pk]})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1:] == ["Nothing changed: Only officers who answered available are deployed: Bo Berg did not."]
    assert Alert.objects.get().status == "open"
    client.post(f"/alerts/{alert.pk}/deploy/", {"officers": [world["officers"]["aalto"].pk]})
    assert Alert.objects.get().status == "closed"
    response = client.post(f"/alerts/{alert.pk}/stand-down/", {"reason": "Too late"})
    assert [str(m) for m in response.wsgi_request._messages][-1:] == [
        "Nothing changed: This alert is closed (filled): it cannot be stood down."]


# --- API --------------------------------------------------------------------------------------------

def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_from_sending_to_deployment(world, client, django_capture_on_commit_callbacks):
    o = world["officers"]
    client.force_login(world["users"]["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/api/alerts", {"title": "Quake", "message": "Search and rescue liaison",
                                                "start_date": (TODAY + dt.timedelta(days=2)).isoformat(),
                                                "position": world["position"].pk,
                                                "officers": [o["aalto"].pk, o["berg"].pk]})
    assert response.status_code == 201, response.content
    alert_id = response.json()["id"]
    assert len(mail.outbox) == 2
    client.force_login(world["users"]["aalto"])
    response = post(client, f"/api/alerts/{alert_id}/reply", {"answer": "available"})
    assert (response.status_code, response.json()["answer"]) == (200, "available")
    response = post(client, f"/api/alerts/{alert_id}/reply", {"answer": "available"})
    assert response.status_code == 400
    mine = client.get(f"/api/alerts/{alert_id}").json()
    assert [r["officer_id"] for r in mine["recipients"]] == [o["aalto"].pk]
    client.force_login(world["users"]["coordinator"])
    response = post(client, f"/api/alerts/{alert_id}/deploy", {"officers": [o["berg"].pk]})
    assert response.status_code == 400
    assert "Bo Berg did not" in json.dumps(response.json())
    response = post(client, f"/api/alerts/{alert_id}/deploy", {"officers": [o["aalto"].pk]})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed"
    assert {r["officer_id"]: r["outcome"] for r in body["recipients"]} == {o["aalto"].pk: "deployed",
                                                                           o["berg"].pk: "stood_down"}
    assert body["recipients"][0]["secondment_id"] == Secondment.objects.get().pk
    response = post(client, f"/api/alerts/{alert_id}/stand-down", {"reason": "x"})
    assert response.status_code == 400


def test_the_api_refuses_an_empty_recipient_list_and_an_unknown_officer(world, client):
    client.force_login(world["users"]["coordinator"])
    base = {"title": "Quake", "message": "M", "start_date": TODAY.isoformat()}
    assert post(client, "/api/alerts", base | {"officers": []}).status_code == 400
    assert post(client, "/api/alerts", base | {"officers": [world["officers"]["carlsson"].pk]}).status_code == 400
    assert Alert.objects.count() == 0


def test_the_api_refuses_a_reply_from_a_coordinator_and_a_stand_down_without_a_reason(world, client):
    alert = send(world, "aalto")
    client.force_login(world["users"]["coordinator"])
    assert post(client, f"/api/alerts/{alert.pk}/reply", {"answer": "available"}).status_code == 403
    assert post(client, f"/api/alerts/{alert.pk}/stand-down", {"reason": ""}).status_code == 400
    client.force_login(world["users"]["aalto"])
    assert post(client, f"/api/alerts/{alert.pk}/stand-down", {"reason": "mine"}).status_code == 403
    assert post(client, f"/api/alerts/{alert.pk}/reply", {"answer": "perhaps"}).status_code == 400
    assert Alert.objects.get().status == "open"
    assert Recipient.objects.get().answer == "no_answer"


# --- Data protection --------------------------------------------------------------------------------

def test_the_subject_access_report_holds_the_officers_alerts(world):
    from dividend.roster.subject_access import subject_access_report

    alert = send(world, "aalto")
    answer(world, alert, "aalto", note="Ready")
    report = subject_access_report(actor=world["users"]["aalto"], officer=world["officers"]["aalto"])
    (rows,) = [s.rows for s in report.sections if s.title == "Rapid deployment alerts"]
    assert [(r[1], r[2], r[4], r[5]) for r in rows] == [("Hurricane in Haiti", "Available", "Ready", "Waiting")]


def test_retention_deletes_an_ended_alert_with_its_answers_and_audits_each(world):
    from dividend.audit.retention import apply_retention

    old = send(world, "aalto", "berg")
    services.stand_down(actor=world["users"]["coordinator"], alert=old, reason="Called off")
    Alert.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=400))
    still_open = send(world, "aalto")
    results = {r.key: r.count for r in apply_retention(now=timezone.now())}
    assert results["alerts.ended_alert"] == 1
    assert list(Alert.objects.values_list("pk", flat=True)) == [still_open.pk]
    deleted = AuditEntry.objects.filter(action="delete", object_type="alerts.recipient")
    assert sorted(e.detail["officer_id"] for e in deleted) == sorted(
        [world["officers"]["aalto"].pk, world["officers"]["berg"].pk])


# --- Demo data --------------------------------------------------------------------------------------

def test_the_demo_has_an_open_alert_with_answers_and_a_closed_one(settings):
    from dividend.site.demo_catalogue import HOME_POOL

    from ..test_demo_data import fixed_missions, generate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fixed_missions()
    generate()
    opened, closed = Alert.objects.get(status="open"), Alert.objects.get(status="closed")
    # Seed 42 on the 200-officer demo roster: the home pool's 14 available officers without an account split
    # nine (the demo secondee joins them) and five.
    opened_answers = sorted(opened.recipients.values_list("answer", flat=True))
    assert opened_answers == ["available"] * 6 + ["no_answer"] * 4
    secondee = opened.recipients.get(officer__user__username="secondee")
    assert secondee.answer == "no_answer"  # for the demo secondee to answer
    assert sorted(closed.recipients.values_list("answer", "outcome")) == [
        ("available", "deployed"), ("available", "deployed"), ("available", "stood_down"),
        ("not_available", "stood_down"), ("not_available", "stood_down")]
    assert set(Recipient.objects.values_list("officer__pool__code", flat=True)) == {HOME_POOL}
    assert all(opened.sent_at < r.answered_at <= timezone.now()
               for r in opened.recipients.exclude(answered_at=None))
    assert mail.outbox == []  # records of the past: nobody e-mailed


# --- The figures against a plain restatement --------------------------------------------------------

ANSWER = st.sampled_from(["no_answer", "available", "not_available"])


@given(st.lists(st.tuples(ANSWER, st.integers(min_value=0, max_value=10 ** 6)), max_size=60))
def test_figures_restated(rows):
    sent = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    stored = [(a, None if a == "no_answer" else sent + dt.timedelta(seconds=s)) for a, s in rows]
    got = figures(sent, stored)
    waits = sorted(s for a, s in rows if a != "no_answer")
    assert got.recipients == len(rows)
    assert got.replied == len(waits) == got.available + got.not_available
    assert got.no_answer == len(rows) - len(waits)
    assert got.response_rate == (round(100 * len(waits) / len(rows), 1) if rows else 0.0)
    if not waits:
        assert got.median_reply is None
    else:
        middle = len(waits) // 2
        expected = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
        assert got.median_reply == dt.timedelta(seconds=expected)
