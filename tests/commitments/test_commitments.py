"""Commitment documents, their assignments and the coordination forum (issue 14 §2): status moves by
the transition table (refused moves change nothing), who/when/why and the audit log, bad input
refused, overdue items, the pages' query counts, the export's injection guard, the API and the command."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from dividend.audit.models import AuditEntry
from dividend.commitments import services
from dividend.commitments.models import Assignment, Decision, FollowUp

from ..factories import complete_sign_in
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_a_move_records_who_when_and_why_and_is_audited(world):
    due = world["assignments"][0]
    services.move_assignment(actor=world["users"]["policy"], assignment=due, status="in_progress",
                             reason="Call published")
    due.refresh_from_db()
    assert (due.status, due.status_changed_by.username, due.status_reason) == ("in_progress", "policy",
                                                                               "Call published")
    entry = AuditEntry.objects.filter(action="status", object_id=str(due.pk)).latest("id")
    assert entry.detail["changes"] == {"status": {"old": "open", "new": "in_progress"}}


def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(world):
    reported = world["assignments"][1]
    with pytest.raises(ValidationError) as error:
        services.move_assignment(actor=world["users"]["policy"], assignment=reported, status="cancelled")
    assert error.value.message_dict == {"status": ["An assignment that is reported back cannot become cancelled."]}
    assert Assignment.objects.get(pk=reported.pk).status == "reported"


def test_a_report_back_date_before_the_document_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.save_assignment(actor=world["users"]["policy"], document=world["document"], text="x", owner="y",
                                 report_back_on=dt.date(2026, 1, 1))
    assert error.value.message_dict == {
        "report_back_on": ["The report-back date 2026-01-01 is before the document was issued (2026-01-15)."]}
    assert Assignment.objects.count() == 2


def test_overdue_assignments_and_follow_ups_are_those_past_their_date_and_not_done(world):
    found = services.overdue(TODAY)
    assert [a.text for a in found["assignments"]] == ["Second 40 officers to CSDP missions"]
    assert [f.action for f in found["follow_ups"]] == ["Open a call for EULEX"]


def test_joining_a_mission_names_the_mission(world):
    with pytest.raises(ValidationError) as error:
        services.record_decision(actor=world["users"]["policy"], meeting=world["meeting"], kind="join_mission",
                                 text="Join")
    assert error.value.message_dict == {"mission": ["Name the mission the country joins."]}
    assert Decision.objects.count() == 1


def test_a_second_meeting_the_same_day_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.save_meeting(actor=world["users"]["policy"], forum=world["forum"], held_on=dt.date(2026, 9, 10))
    assert error.value.message_dict == {"held_on": ["The forum already has a meeting on 2026-09-10."]}


def test_a_follow_up_is_done_with_a_reason(world):
    services.move_follow_up(actor=world["users"]["policy"], follow_up=world["follow_up"], status="done",
                            reason="Call 2026-11 published")
    follow_up = FollowUp.objects.get(pk=world["follow_up"].pk)
    assert (follow_up.status, follow_up.status_reason) == ("done", "Call 2026-11 published")
    assert services.overdue(TODAY)["follow_ups"] == []


def test_the_document_list_counts_assignments_in_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    _signed_in(client, world["users"]["liaison"])
    client.get("/commitments/")
    with django_assert_num_queries(7):
        response = client.get("/commitments/")
    text = response.content.decode()
    assert 'id="document-' in text and "Regulatory letter 2026" in text
    assert "New document" not in text  # the liaison reads, does not record


def test_the_liaison_may_not_move_an_assignment(client, world):
    _signed_in(client, world["users"]["liaison"])
    due = world["assignments"][0]
    assert client.post(f"/commitments/assignments/{due.pk}/move/", {"status": "reported"}).status_code == 403
    assert Assignment.objects.get(pk=due.pk).status == "open"


def test_the_policy_officer_moves_an_assignment_on_the_page(client, world):
    _signed_in(client, world["users"]["policy"])
    due = world["assignments"][0]
    response = client.post(f"/commitments/assignments/{due.pk}/move/", {"status": "reported", "reason": "Done"})
    assert response.status_code == 302
    assert Assignment.objects.get(pk=due.pk).status == "reported"


def test_a_coordinator_reads_the_forum(client, world):
    _signed_in(client, world["users"]["coordinator_alpha"])
    text = client.get(f"/commitments/meetings/{world['meeting'].pk}/").content.decode()
    assert "Join EULEX with two officers" in text and "Open a call for EULEX" in text


def test_an_hr_manager_has_no_commitments(client, world):
    _signed_in(client, world["users"]["hr"])
    assert client.get("/commitments/").status_code == 403
    assert client.get("/api/commitments/documents").status_code == 403


def test_the_assignments_export_defuses_a_formula(client, world):
    services.save_assignment(actor=world["users"]["policy"], document=world["document"],
                             text='=HYPERLINK("http://x")', owner="x", report_back_on=dt.date(2026, 12, 1))
    _signed_in(client, world["users"]["policy"])
    text = b"".join(client.get("/commitments/assignments.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_the_api_adds_and_moves_an_assignment(client, world):
    _signed_in(client, world["users"]["policy"])
    document = world["document"]
    created = client.post(f"/api/commitments/documents/{document.pk}/assignments", json.dumps({
        "text": "Brief parliament", "owner": "Ministry", "report_back_on": "2026-12-15"}),
        content_type="application/json")
    assert created.status_code == 201
    moved = client.post(f"/api/commitments/assignments/{created.json()['id']}/move",
                        json.dumps({"status": "reported", "reason": "Briefed"}), content_type="application/json")
    assert (moved.status_code, moved.json()["status"]) == (200, "reported")


def test_the_api_refuses_a_move_the_table_does_not_allow(client, world):
    _signed_in(client, world["users"]["policy"])
    response = client.post(f"/api/commitments/assignments/{world['assignments'][1].pk}/move",
                           json.dumps({"status": "cancelled"}), content_type="application/json")
    assert response.status_code == 400
    assert Assignment.objects.get(pk=world["assignments"][1].pk).status == "reported"


def test_the_api_lists_meetings_with_decisions_and_follow_up(client, world):
    _signed_in(client, world["users"]["liaison"])
    body = client.get("/api/commitments/meetings").json()
    assert body["count"] == 1
    decision = body["items"][0]["decisions"][0]
    assert (decision["kind"], decision["mission"], decision["follow_ups"][0]["overdue"]) == (
        "join_mission", world["missions"][1].pk, True)


def test_the_command_lists_what_is_overdue_and_exits_1(world, capsys):
    with pytest.raises(SystemExit) as exit_status:
        call_command("commitments_overdue", today="2026-11-01")
    assert exit_status.value.code == 1
    assert "1 assignments and 1 follow-ups overdue." in capsys.readouterr().out


def test_the_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="give a date as YYYY-MM-DD"):
        call_command("commitments_overdue", today="01/11/2026")
