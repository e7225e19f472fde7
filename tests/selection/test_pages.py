import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.models import AuditEntry
from dividend.selection import services
from dividend.selection.models import Call, CallPosition, Nomination

from ..factories import complete_sign_in, make_mission, make_position
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_the_board_lists_open_calls_with_what_is_left_to_do(client, sel):
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    page = signed_in(client, sel["users"]["coordinator"]).get("/selection/").content.decode()
    assert "EU-2027-01" in page
    assert "20 days left" in page
    assert "1 nomination awaits release" in page
    assert "2 posts, 1 candidate" in page


def test_the_board_runs_a_fixed_number_of_queries_whatever_the_number_of_calls(client, sel):
    coordinator = sel["users"]["coordinator"]
    signed_in(client, coordinator)
    client.get("/selection/")  # warm the session
    for n in range(5):
        call = services.create_call(actor=coordinator, pools=[sel["pools"][0]], organisation="eu_csdp",
                                    kind="regular", reference=f"EU-Q-{n}", title="More", published_on=TODAY,
                                    organisation_deadline=TODAY + dt.timedelta(days=9),
                                    national_deadline=TODAY + dt.timedelta(days=5))
        services.add_call_position(actor=coordinator, call=call, position=make_position(sel["mission"]))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/selection/")
    assert response.status_code == 200
    assert response.content.decode().count('<td><a href="/selection/calls/') == 6
    assert len(queries) == 6


def test_the_board_filter_refuses_an_unknown_status(client, sel):
    response = signed_in(client, sel["users"]["coordinator"]).get("/selection/?status=nonsense")
    assert response.status_code == 400
    assert "EU-2027-01" not in response.content.decode()


def test_a_call_is_created_through_the_form(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post("/selection/calls/new/", {
        "organisation": "un", "kind": "headquarters", "reference": "UN/DPO/1", "title": "HQ post",
        "published_on": "2027-01-04", "organisation_deadline": "2027-02-01", "national_deadline": "2027-01-20",
        "pools": [sel["pools"][0].pk]})
    call = Call.objects.get(reference="UN/DPO/1")
    assert (response.status_code, response["Location"]) == (302, f"/selection/calls/{call.pk}/")
    assert (call.kind, call.status, call.national_deadline) == ("headquarters", "draft", dt.date(2027, 1, 20))


def test_the_form_with_deadlines_in_the_wrong_order_saves_nothing(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post("/selection/calls/new/", {
        "organisation": "un", "kind": "regular", "reference": "UN/DPO/2", "title": "Late",
        "published_on": "2027-01-04", "organisation_deadline": "2027-02-01", "national_deadline": "2027-02-03",
        "pools": [sel["pools"][0].pk]})
    assert response.status_code == 400
    assert "The national pre-deadline must be before the organisation&#x27;s deadline (2027-02-01)." in \
        response.content.decode()
    assert not Call.objects.filter(reference="UN/DPO/2").exists()


def test_a_position_without_a_mission_is_refused_in_the_form(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/calls/{sel['call'].pk}/positions/new/", {"title": "Adviser", "posts": 1})
    assert response.status_code == 400
    assert "A position needs a mission: choose an existing position or a mission." in response.content.decode()
    assert CallPosition.objects.count() == 1


def test_a_new_position_on_a_mission_is_added_through_the_form(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/calls/{sel['call'].pk}/positions/new/",
                           {"mission": sel["mission"].pk, "title": "Forensics mentor", "posts": 1})
    assert response.status_code == 302
    cp = CallPosition.objects.exclude(pk=sel["cp"].pk).get()
    assert (cp.position.title, cp.position.mission_id) == ("Forensics mentor", sel["mission"].pk)


def test_a_coordinator_nominates_through_the_form(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/call-positions/{sel['cp'].pk}/nominate/", {"officer": sel["aalto"].pk})
    assert response.status_code == 302
    assert Nomination.objects.get().officer_id == sel["aalto"].pk


def test_an_unknown_officer_is_refused_by_the_form(client, sel):
    signed_in(client, sel["users"]["coordinator"])
    for officer in (sel["berg"].pk, 999999, "x"):
        response = client.post(f"/selection/call-positions/{sel['cp'].pk}/nominate/", {"officer": officer})
        assert response.status_code == 400
        assert "Unknown officer, or not one of the call&#x27;s pools that you coordinate." in response.content.decode()
    assert Nomination.objects.count() == 0


def test_a_nomination_after_the_pre_deadline_is_refused_by_the_form(client, sel):
    Call.objects.filter(pk=sel["call"].pk).update(national_deadline=TODAY - dt.timedelta(days=1),
                                                  published_on=TODAY - dt.timedelta(days=9))
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/call-positions/{sel['cp'].pk}/nominate/", {"officer": sel["aalto"].pk})
    assert response.status_code == 400
    assert "has passed: no more nominations." in response.content.decode()
    assert Nomination.objects.count() == 0


def test_the_officer_expresses_interest_and_the_line_manager_releases(client, sel):
    signed_in(client, sel["users"]["secondee"])
    assert client.post(f"/selection/call-positions/{sel['cp'].pk}/interest/", {"motivation": "Keen"}).status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.origin, nomination.motivation) == ("interest", "Keen")
    client.logout()
    signed_in(client, sel["users"]["hr"])
    assert "Aino Aalto" in client.get("/selection/releases/").content.decode()
    client.post(f"/selection/nominations/{nomination.pk}/release/", {"decision": "release", "next": "releases"})
    nomination.refresh_from_db()
    assert nomination.status == "released"


def test_the_nominee_reads_the_feedback_on_their_own_page(client, sel):
    nomination = services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    services.release(actor=sel["users"]["hr"], nomination=nomination)
    decision = services.propose_decision(actor=sel["users"]["coordinator"], nomination=nomination,
                                         outcome="not_selected", feedback="Another candidate had the required French.")
    services.approve_decision(actor=sel["users"]["national"], decision=decision)
    page = signed_in(client, sel["users"]["secondee"]).get("/selection/mine/").content.decode()
    assert '<td class="feedback">Another candidate had the required French.</td>' in page
    assert "Not selected" in page


def test_the_call_page_lists_only_the_nominations_the_user_sees_and_audits_them(client, sel):
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["carlsson"])
    signed_in(client, sel["users"]["secondee"])
    page = client.get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    assert "Aino Aalto" in page and "Carlsson" not in page
    entry = AuditEntry.objects.filter(action="list", object_type="selection.nomination").latest("id")
    assert entry.detail["officer_ids"] == [sel["aalto"].pk]


def test_a_user_of_another_pool_does_not_see_the_call(client, sel):
    response = signed_in(client, sel["users"]["analyst_beta"]).get(f"/selection/calls/{sel['call'].pk}/")
    assert response.status_code == 404


def test_a_panel_member_scoped_to_the_call_sees_it_but_no_nominee_by_name(client, sel):
    from dividend.pools.models import Role, RoleAssignment, Scope

    from ..factories import make_user

    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    panel = make_user(None, username="panellist")
    RoleAssignment.objects.create(user=panel, role=Role.PANEL_MEMBER, scope=Scope.OBJECT,
                                  object_type="selection.call", object_id=sel["call"].pk)
    signed_in(client, panel)
    page = client.get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    assert ("Aino Aalto" in page, 'id="panel-link"' in page) == (False, True)
    assert client.get("/api/selection/nominations").json()["count"] == 0
    other = services.create_call(actor=sel["users"]["national"], pools=[sel["pools"][1]], organisation="eu_csdp",
                                 kind="regular", reference="EU-OTHER", title="Other", published_on=TODAY,
                                 organisation_deadline=TODAY + dt.timedelta(days=9),
                                 national_deadline=TODAY + dt.timedelta(days=5))
    assert client.get(f"/selection/calls/{other.pk}/").status_code == 404


def test_the_panel_scope_is_registered_for_calls():
    from dividend.pools.models import OBJECT_SCOPES, Role

    assert OBJECT_SCOPES["selection.call"] == {Role.PANEL_MEMBER}


def test_the_outcome_form_needs_a_start_date_for_a_selected_officer(client, sel):
    nomination = services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    services.release(actor=sel["users"]["hr"], nomination=nomination)
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/nominations/{nomination.pk}/outcome/",
                           {"outcome": "selected", "feedback": "Welcome"})
    assert response.status_code == 400
    assert "A selected officer&#x27;s secondment needs its start date." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "released"


def test_a_mission_of_another_organisation_is_refused_in_the_form(client, sel):
    un = make_mission("UNX", organisation="un")
    signed_in(client, sel["users"]["coordinator"])
    response = client.post(f"/selection/calls/{sel['call'].pk}/positions/new/",
                           {"mission": un.pk, "title": "Adviser", "posts": 1})
    assert response.status_code == 400
    assert "No such mission of the call&#x27;s organisation in the registry (or it is closed)." in \
        response.content.decode()


def test_a_national_coordinator_approves_without_release_where_the_setting_allows(client, sel, settings):
    settings.DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE = True
    nomination = services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    signed_in(client, sel["users"]["national"])
    page = client.get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    assert "Approve without release" in page
    client.post(f"/selection/nominations/{nomination.pk}/approve/", {"reason": "Crisis centre decision"})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.status_reason, nomination.release_decided_by) == (
        "approved", "Crisis centre decision", sel["users"]["national"])


def test_without_the_setting_nobody_is_offered_approval_without_release(client, sel):
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    page = signed_in(client, sel["users"]["national"]).get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    assert "Approve without release" not in page


def test_the_officer_withdraws_from_their_own_page(client, sel):
    nomination = services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    signed_in(client, sel["users"]["secondee"])
    assert f'action="/selection/nominations/{nomination.pk}/withdraw/"' in client.get("/selection/mine/").content.decode()
    response = client.post(f"/selection/nominations/{nomination.pk}/withdraw/", {"reason": "Family", "next": "mine"})
    assert (response.status_code, response["Location"]) == (302, "/selection/mine/")
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"
    assert f'action="/selection/nominations/{nomination.pk}/withdraw/"' not in client.get("/selection/mine/").content.decode()
