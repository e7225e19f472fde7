"""Triage (issue 12 §4): the edit lock and its contention, assignment and the "assigned to me"
queue, comments between analysts (and those for the author), bulk actions all or nothing, the
pages and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.reports import services, triage
from dividend.reports.models import FieldReport, ReportAssignment, ReportLock, TriageComment

from .test_reports import file, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world):
    return [file(world, key=f"draft-{n:04d}", title=f"Report {n}") for n in range(3)]


def entries(action=None):
    found = AuditEntry.objects.filter(object_type__in=["reports.fieldreport", "reports.triagecomment"]).exclude(
        action__in=["read", "list"])  # changes only
    return found.filter(action=action).count() if action else found.count()


# --- The lock ---------------------------------------------------------------------------------------


def test_opening_the_form_takes_the_lock_and_a_second_analyst_cannot_take_it(world, reports):
    first, second = world["users"]["analyst"], world["users"]["national_analyst"]
    lock, held = triage.take_lock(actor=first, report=reports[0])
    assert (held, lock.holder) == (True, first)
    other, held = triage.take_lock(actor=second, report=reports[0])
    assert (held, other.holder, other.taken_at) == (False, first, lock.taken_at)


def test_a_second_analyst_cannot_save_over_a_live_lock(world, reports):
    first, second = world["users"]["analyst"], world["users"]["national_analyst"]
    triage.take_lock(actor=first, report=reports[0])
    with pytest.raises(triage.ReportLocked) as refused:
        triage.save_triage(actor=second, report=reports[0], themes=[], countries=[], places="Kidal")
    assert refused.value.messages[0].startswith("Being edited by ana since ")
    reports[0].refresh_from_db()
    assert reports[0].places == "Gao; Timbuktu"


def test_a_live_lock_also_stops_a_status_move(world, reports):
    triage.take_lock(actor=world["users"]["analyst"], report=reports[0])
    with pytest.raises(triage.ReportLocked):
        services.change_report_status(actor=world["users"]["national_analyst"], report=reports[0], status="accepted")
    assert FieldReport.objects.get(pk=reports[0].pk).status == "new"


def test_a_stale_lock_expires_and_is_taken_over(world, reports):
    first, second = world["users"]["analyst"], world["users"]["national_analyst"]
    old = timezone.now() - dt.timedelta(minutes=16)
    triage.take_lock(actor=first, report=reports[0], now=old)
    lock, held = triage.take_lock(actor=second, report=reports[0])
    assert (held, lock.holder, ReportLock.objects.count()) == (True, second, 1)
    assert lock.expires_at - lock.taken_at == dt.timedelta(minutes=15)


def test_saving_releases_the_lock(world, reports):
    first, second = world["users"]["analyst"], world["users"]["national_analyst"]
    triage.take_lock(actor=first, report=reports[0])
    triage.save_triage(actor=first, report=reports[0], themes=[], countries=[], places="Gao")
    assert ReportLock.objects.count() == 0
    assert triage.take_lock(actor=second, report=reports[0])[1] is True


def test_closing_without_saving_releases_only_ones_own_lock(client, world, reports):
    first, second = world["users"]["analyst"], world["users"]["national_analyst"]
    signed_in(client, first)
    client.get(f"/reports/{reports[0].pk}/triage/")
    assert client.post(f"/reports/{reports[0].pk}/triage/release/").status_code == 302
    assert ReportLock.objects.count() == 0
    triage.take_lock(actor=second, report=reports[0])
    client.post(f"/reports/{reports[0].pk}/triage/release/")
    assert list(ReportLock.objects.values_list("holder", flat=True)) == [second.pk]


def test_saving_unchanged_writes_and_logs_nothing(world, reports):
    report = reports[0]
    before = entries()
    changed = triage.save_triage(actor=world["users"]["analyst"], report=report, themes=list(report.themes.all()),
                                 countries=list(report.countries.all()), places="Gao;Timbuktu ")
    assert (changed, entries()) == ([], before)


def test_the_triage_page_shows_who_holds_the_lock_and_refuses_their_save(client, world, reports):
    report = reports[0]
    triage.take_lock(actor=world["users"]["national_analyst"], report=report)
    signed_in(client, world["users"]["analyst"])
    page = client.get(f"/reports/{report.pk}/triage/")
    assert page.status_code == 200
    assert "Being edited by anan since" in page.content.decode()
    answer = client.post(f"/reports/{report.pk}/triage/", {"places": "Kidal", "status": ""})
    assert answer.status_code == 409
    report.refresh_from_db()
    assert report.places == "Gao; Timbuktu"


def test_two_requests_at_once_leave_one_lock(world, reports):
    """The second opener finds the row the first created (the unique report key)."""
    first, second = world["users"]["analyst"], world["users"]["national_analyst"]
    results = [triage.take_lock(actor=first, report=reports[0]), triage.take_lock(actor=second, report=reports[0])]
    assert [held for _lock, held in results] == [True, False]
    assert list(ReportLock.objects.values_list("holder", flat=True)) == [first.pk]


def test_a_save_through_the_page_changes_themes_places_and_status_and_releases(client, world, reports):
    from dividend.reference.models import Country, ThematicArea

    report, user = reports[0], world["users"]["analyst"]
    signed_in(client, user)
    assert client.get(f"/reports/{report.pk}/triage/").status_code == 200
    assert ReportLock.objects.get().holder == user
    theme, mali = ThematicArea.objects.get(code="border_management"), Country.objects.get(iso3="MLI")
    answer = client.post(f"/reports/{report.pk}/triage/", {"themes": [theme.pk], "countries": [mali.pk],
                                                           "places": "Gao; Kidal", "status": "in_review"})
    assert answer.status_code == 302
    report.refresh_from_db()
    assert (list(report.themes.all()), list(report.countries.all()), report.places, report.status) == (
        [theme], [mali], "Gao; Kidal", "in_review")
    assert ReportLock.objects.count() == 0
    entry = AuditEntry.objects.filter(object_type="reports.fieldreport", action="update").latest("id")
    assert sorted(entry.detail["changes"]) == ["countries", "places", "themes"]


# --- Assignment -------------------------------------------------------------------------------------


def test_assign_and_the_assigned_to_me_queue(world, reports):
    analyst = world["users"]["analyst"]
    triage.assign_report(actor=analyst, report=reports[1], analyst=analyst)
    assert list(triage.queue(analyst, "open", "me")) == [reports[1]]
    assert list(triage.queue(analyst, "open", "nobody")) == [reports[0], reports[2]]
    triage.assign_report(actor=analyst, report=reports[1], analyst=None)
    assert list(triage.queue(analyst, "open", "me")) == []
    assert entries("update") == 2


def test_assigning_the_same_analyst_again_writes_nothing(world, reports):
    analyst = world["users"]["analyst"]
    triage.assign_report(actor=analyst, report=reports[0], analyst=analyst)
    triage.assign_report(actor=analyst, report=reports[0], analyst=analyst)
    assert entries("update") == 1


def test_a_report_is_not_assigned_to_an_analyst_who_cannot_triage_it(world, reports):
    with pytest.raises(ValidationError) as refused:
        triage.assign_report(actor=world["users"]["analyst"], report=reports[0],
                             analyst=world["users"]["analyst_beta"])
    assert refused.value.message_dict == {"analyst": ["anab does not triage reports of this author's pool."]}
    assert ReportAssignment.objects.count() == 0


def test_an_analyst_of_another_pool_does_not_assign(world, reports):
    with pytest.raises(PermissionDenied):
        triage.assign_report(actor=world["users"]["analyst_beta"], report=reports[0],
                             analyst=world["users"]["analyst"])


# --- Comments ---------------------------------------------------------------------------------------


def test_comments_are_for_analysts_unless_marked_for_the_author(client, world, reports):
    analyst, secondee = world["users"]["analyst"], world["users"]["secondee"]
    triage.add_comment(actor=analyst, report=reports[0], text="Check the second source first.")
    triage.add_comment(actor=analyst, report=reports[0], text="Which road was closed?", for_author=True)
    signed_in(client, secondee)
    page = client.get(f"/reports/{reports[0].pk}/").content.decode()
    assert "Which road was closed?" in page
    assert "Check the second source" not in page
    api = client.get(f"/api/reports/{reports[0].pk}/comments").json()
    assert [c["text"] for c in api] == ["Which road was closed?"]


def test_a_comment_is_audited_without_its_text(world, reports):
    triage.add_comment(actor=world["users"]["analyst"], report=reports[0], text="The source seems unsure.")
    entry = AuditEntry.objects.get(object_type="reports.triagecomment")
    assert (entry.action, entry.detail["for_author"]) == ("create", False)
    assert "unsure" not in str(entry.detail) + entry.object_repr


def test_a_classified_comment_is_refused_and_nothing_stored(world, reports):
    with pytest.raises(ValidationError) as refused:
        triage.add_comment(actor=world["users"]["analyst"], report=reports[0], text="See the SECRET annex.")
    assert list(refused.value.message_dict) == ["text"]
    assert TriageComment.objects.count() == 0


def test_the_secondee_does_not_comment(world, reports):
    with pytest.raises(PermissionDenied):
        triage.add_comment(actor=world["users"]["secondee"], report=reports[0], text="Hello")


def test_a_comment_through_htmx_redraws_the_comments(client, world, reports):
    signed_in(client, world["users"]["analyst"])
    answer = client.post(f"/reports/{reports[0].pk}/comments/", {"text": "Seen twice.", "for_author": ""},
                         HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert 'id="triage-comments"' in answer.content.decode() and "Seen twice." in answer.content.decode()
    empty = client.post(f"/reports/{reports[0].pk}/comments/", {"text": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400
    assert TriageComment.objects.count() == 1


# --- Bulk actions -----------------------------------------------------------------------------------


def test_bulk_move_changes_every_report_with_an_audit_entry_each(world, reports):
    result = triage.bulk_triage(actor=world["users"]["analyst"], reports=reports, action="status", status="in_review")
    assert sorted(result.changed) == sorted(r.pk for r in reports)
    assert set(FieldReport.objects.values_list("status", flat=True)) == {"in_review"}
    assert entries("status") == 3


def test_bulk_partial_failure_changes_nothing_and_names_each_report(world, reports):
    analyst = world["users"]["analyst"]
    services.change_report_status(actor=analyst, report=reports[1], status="accepted")
    triage.take_lock(actor=world["users"]["national_analyst"], report=reports[2])
    before = entries()
    with pytest.raises(triage.BulkRefused) as refused:
        triage.bulk_triage(actor=analyst, reports=[FieldReport.objects.get(pk=r.pk) for r in reports],
                           action="status", status="filed", reason="Out of scope")
    problems = refused.value.problems
    assert sorted(problems) == [reports[1].pk, reports[2].pk]
    assert problems[reports[1].pk] == ["A report that is accepted cannot be moved to filed."]
    assert problems[reports[2].pk][0].startswith("Being edited by anan since ")
    assert dict(FieldReport.objects.values_list("pk", "status")) == {
        reports[0].pk: "new", reports[1].pk: "accepted", reports[2].pk: "new"}
    assert entries() == before


def test_bulk_needs_a_reason_for_filing(world, reports):
    with pytest.raises(ValidationError) as refused:
        triage.bulk_triage(actor=world["users"]["analyst"], reports=reports, action="status", status="filed")
    assert refused.value.message_dict == {"reason": ["Say why: the authors read it."]}


def test_bulk_assign_refuses_all_when_one_report_is_outside_the_assignees_pools(world, reports):
    from ..factories import make_officer

    beta = world["pools"][1]
    other = FieldReport.objects.create(officer=make_officer(beta, last_name="Berg"), mission=world["mission"],
                                       period_start=reports[0].period_start, period_end=reports[0].period_end,
                                       kind="ad_hoc", title="Berg's note", body="Quiet.", marking="green",
                                       credibility=3, reliability="C", draft_key="berg-1",
                                       submitted_at=timezone.now())
    national = world["users"]["national_analyst"]
    with pytest.raises(triage.BulkRefused) as refused:
        triage.bulk_triage(actor=national, reports=[reports[0], other], action="assign",
                           analyst=world["users"]["analyst"])
    assert refused.value.problems == {other.pk: ["ana does not triage reports of this author's pool."]}
    assert ReportAssignment.objects.count() == 0


def test_bulk_through_the_page_shows_each_reports_problem(client, world, reports):
    analyst = world["users"]["analyst"]
    services.change_report_status(actor=analyst, report=reports[1], status="accepted")
    signed_in(client, analyst)
    answer = client.post("/reports/triage/bulk/?status=", {"reports": [r.pk for r in reports], "action": "status",
                                                           "status": "needs_information", "reason": "Which road?"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Nothing was changed: 1 of the chosen reports cannot be changed so." in page
    assert "A report that is accepted cannot be moved to needs information." in page
    assert FieldReport.objects.filter(status="needs_information").count() == 0
    ok = client.post("/reports/triage/bulk/", {"reports": [reports[0].pk, reports[2].pk], "action": "assign",
                                               "analyst": analyst.pk})
    assert ok.status_code == 302
    assert ReportAssignment.objects.filter(analyst=analyst).count() == 2


def test_bulk_through_the_api_is_all_or_nothing(client, world, reports):
    analyst = world["users"]["analyst"]
    services.change_report_status(actor=analyst, report=reports[0], status="accepted")
    signed_in(client, analyst)
    refused = client.post("/api/reports/triage/bulk", {"reports": [r.pk for r in reports], "action": "status",
                                                       "status": "filed", "reason": "Dup"},
                          content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {f"reports.{reports[0].pk}": [
        "A report that is accepted cannot be moved to filed."]}
    done = client.post("/api/reports/triage/bulk", {"reports": [reports[1].pk, reports[2].pk], "action": "status",
                                                    "status": "filed", "reason": "Dup"},
                       content_type="application/json")
    assert done.status_code == 200
    assert sorted(done.json()["changed"]) == sorted([reports[1].pk, reports[2].pk])


def test_a_report_another_analyst_may_not_read_is_refused_in_bulk(client, world, reports):
    signed_in(client, world["users"]["analyst_beta"])
    answer = client.post("/api/reports/triage/bulk", {"reports": [reports[0].pk], "action": "status",
                                                      "status": "in_review"}, content_type="application/json")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["reports"]
    assert FieldReport.objects.filter(status="new").count() == 3


# --- The queue --------------------------------------------------------------------------------------


def test_the_queue_page_lists_assignee_and_lock_in_a_fixed_number_of_queries(client, world, reports):
    analyst = world["users"]["analyst"]
    triage.assign_report(actor=analyst, report=reports[0], analyst=analyst)
    triage.take_lock(actor=world["users"]["national_analyst"], report=reports[1])
    signed_in(client, analyst)
    client.get("/reports/triage/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/reports/triage/?assigned=")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Being edited by anan since" in text and text.count('name="reports"') == 3
    assert len(queries) == 11
    for n in range(3, 6):  # more reports, assigned and locked: the same queries
        extra = file(world, key=f"draft-{n:04d}", title=f"Report {n}")
        triage.assign_report(actor=analyst, report=extra, analyst=analyst)
        triage.take_lock(actor=world["users"]["national_analyst"], report=extra)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reports/triage/?assigned=").content.decode().count('name="reports"') == 6
    assert len(queries) == 11


def test_the_api_queue_says_who_holds_a_lock_and_the_assignee(client, world, reports):
    analyst = world["users"]["analyst"]
    triage.assign_report(actor=analyst, report=reports[0], analyst=analyst)
    lock, _held = triage.take_lock(actor=world["users"]["national_analyst"], report=reports[1])
    signed_in(client, analyst)
    items = client.get("/api/reports/triage/queue").json()["items"]
    assert [(i["id"], i["assigned_to"], i["locked_by"]) for i in items] == [
        (reports[0].pk, analyst.pk, None), (reports[1].pk, None, world["users"]["national_analyst"].pk),
        (reports[2].pk, None, None)]
    mine = client.get("/api/reports/triage/queue?assigned=me").json()
    assert [i["id"] for i in mine["items"]] == [reports[0].pk]


def test_assignment_through_the_api(client, world, reports):
    analyst = world["users"]["analyst"]
    signed_in(client, analyst)
    answer = client.post(f"/api/reports/{reports[0].pk}/assign", {"analyst": analyst.pk},
                         content_type="application/json")
    assert (answer.status_code, answer.json()["assigned_to"]) == (200, analyst.pk)
    bad = client.post(f"/api/reports/{reports[0].pk}/assign", {"analyst": world["users"]["secondee"].pk},
                      content_type="application/json")
    assert (bad.status_code, bad.json()["errors"]) == (400, {"analyst": ["Choose an analyst."]})


# --- Bad input: a clear error, nothing stored, never a server error ---------------------------------


@pytest.mark.parametrize("data, field", [
    ({"reports": "abc", "action": "status", "status": "in_review"}, "reports"),
    ({"reports": "99999999999", "action": "status", "status": "in_review"}, "reports"),
    ({"action": "status", "status": "in_review"}, "reports"),
    ({"reports": "{first}", "action": "explode"}, "action"),
    ({"reports": "{first}", "action": "status", "status": "secret"}, "status"),
    ({"reports": "{first}", "action": "status"}, "status"),
    ({"reports": "{first}", "action": "assign", "analyst": "0"}, "analyst"),
    ({"reports": "{first}", "action": "status", "status": "filed", "reason": "RESTREINT UE"}, "reason"),
])
def test_bad_bulk_input_is_a_clear_error_and_changes_nothing(client, world, reports, data, field):
    signed_in(client, world["users"]["analyst"])
    data = {k: v.replace("{first}", str(reports[0].pk)) for k, v in data.items()}
    before = entries()
    answer = client.post("/reports/triage/bulk/", data)
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    assert (entries(), set(FieldReport.objects.values_list("status", flat=True))) == (before, {"new"})


@pytest.mark.parametrize("data, field", [
    ({"themes": "abc"}, "themes"),
    ({"countries": "99999999999"}, "countries"),
    ({"status": "accepted_twice"}, "status"),
    ({"places": "x" * 501}, "places"),
    ({"places": "Gao; NATO SECRET"}, "places"),
    ({"status": "filed"}, "reason"),
])
def test_a_bad_triage_form_is_a_clear_error_and_changes_nothing(client, world, reports, data, field):
    report = reports[0]
    signed_in(client, world["users"]["analyst"])
    before = entries()
    answer = client.post(f"/reports/{report.pk}/triage/", {"places": "Gao; Timbuktu", **data})
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    report.refresh_from_db()
    assert (report.places, report.status, entries()) == ("Gao; Timbuktu", "new", before)


def test_too_long_a_comment_or_suggestion_text_is_refused(client, world, reports):
    signed_in(client, world["users"]["analyst"])
    assert client.post(f"/reports/{reports[0].pk}/comments/", {"text": "x" * 4001}).status_code == 400
    assert client.post("/reports/suggest/", {"body": "x" * 20001}).status_code == 400
    assert client.post("/api/reports/suggestions/draft", {"body": "x" * 20001},
                       content_type="application/json").status_code == 400
    assert TriageComment.objects.count() == 0


def test_a_locked_report_is_refused_by_the_status_api_with_the_holder(client, world, reports):
    triage.take_lock(actor=world["users"]["national_analyst"], report=reports[0])
    signed_in(client, world["users"]["analyst"])
    answer = client.post(f"/api/reports/{reports[0].pk}/status", {"status": "accepted"},
                         content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"]["__all__"][0].startswith("Being edited by anan since ")
    assert FieldReport.objects.get(pk=reports[0].pk).status == "new"
