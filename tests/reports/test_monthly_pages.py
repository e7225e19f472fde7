"""Pages and API of the monthly mission report (issue 12 §7) and of the intelligence debriefings
(§8): bad input gives a clear message and stores nothing; the edit form opened on a full record and
saved unchanged changes nothing; debriefings reach the members of their named group only."""

import datetime as dt
import json

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reports import monthly, services
from dividend.reports.models import Audience, IntelligenceDebriefing, MonthlyReport

from ..factories import make_mission, make_user
from .test_monthly import MONTH, accepted
from .test_reports import file, signed_in

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def report(world):
    accepted(world, "sec-0001", title="Checkpoints north", body="Two new checkpoints opened.", marking="amber")
    return monthly.create_monthly_report(actor=world["users"]["analyst"], mission=world["mission"], month=MONTH)


def form_of(report):
    return {"security_assessment": report.security_assessment, "political_update": report.political_update,
            "contingent_work": report.contingent_work, "marking": report.marking}


# --- Drafting page --------------------------------------------------------------------------------


def test_the_draft_page_drafts_and_opens_the_edit_form(client, world):
    accepted(world, "sec-0001")
    response = signed_in(client, world["users"]["analyst"]).post(
        "/reports/monthly/new/", {"mission": world["mission"].pk, "month": f"{MONTH:%Y-%m}"})
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/monthly/{report.pk}/edit/"


@pytest.mark.parametrize("data,field,message", [
    ({"mission": "987654", "month": f"{MONTH:%Y-%m}"}, "mission", "Unknown mission: choose one from the list."),
    ({"mission": "", "month": f"{MONTH:%Y-%m}"}, "mission", "This field is required."),
    ({"month": "2026-13"}, "month", "Give the month as YYYY-MM, e.g. 2026-11."),
    ({"month": "November"}, "month", "Give the month as YYYY-MM, e.g. 2026-11."),
    ({"month": "2999-01"}, "month", "2999-01 has not begun: a monthly report is written on the current month or an "
                                    "earlier one."),
])
def test_bad_input_on_the_draft_page_is_a_clear_message_and_nothing_stored(client, world, data, field, message):
    data = {"mission": world["mission"].pk} | data
    response = signed_in(client, world["users"]["analyst"]).post("/reports/monthly/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert MonthlyReport.objects.count() == 0


def test_a_second_draft_of_the_same_month_is_a_clear_message(client, world, report):
    response = signed_in(client, world["users"]["national_analyst"]).post(
        "/reports/monthly/new/", {"mission": world["mission"].pk, "month": f"{MONTH:%Y-%m}"})
    assert response.status_code == 400
    assert response.context["form"].errors["month"] == [f"The monthly report on EUTEST for {MONTH:%Y-%m} exists "
                                                        "already."]


# --- Edit page ---------------------------------------------------------------------------------------


def test_the_edit_form_opens_on_the_record_and_saved_unchanged_changes_nothing(client, world, report):
    client = signed_in(client, world["users"]["analyst"])
    page = client.get(f"/reports/monthly/{report.pk}/edit/")
    initial = {name: page.context["form"][name].value() for name in form_of(report)}
    assert initial == form_of(report)
    before = (MonthlyReport.objects.values().get(), list(report.reports.values_list("pk", flat=True)),
              AuditEntry.objects.filter(action="update").count())
    response = client.post(f"/reports/monthly/{report.pk}/edit/", initial)
    assert response.status_code == 302
    assert (MonthlyReport.objects.values().get(), list(report.reports.values_list("pk", flat=True)),
            AuditEntry.objects.filter(action="update").count()) == before


def test_an_empty_section_on_the_edit_page_is_a_clear_message(client, world, report):
    response = signed_in(client, world["users"]["analyst"]).post(
        f"/reports/monthly/{report.pk}/edit/", form_of(report) | {"political_update": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["political_update"] == ["Write this section; it may be short."]
    assert MonthlyReport.objects.get().political_update == report.political_update


def test_a_lower_marking_on_the_edit_page_is_a_clear_message(client, world, report):
    response = signed_in(client, world["users"]["analyst"]).post(
        f"/reports/monthly/{report.pk}/edit/", form_of(report) | {"marking": "clear"})
    assert response.status_code == 400
    assert response.context["form"].errors["marking"] == [
        "A cited report is marked TLP:AMBER: mark the monthly report at least as strictly."]


def test_another_analyst_may_not_open_the_edit_form(client, world, report):
    response = signed_in(client, world["users"]["national_analyst"]).get(f"/reports/monthly/{report.pk}/edit/")
    assert response.status_code == 403


# --- Moves on the page -----------------------------------------------------------------------------


def test_submit_then_approve_on_the_page(client, world, report):
    signed_in(client, world["users"]["analyst"]).post(f"/reports/monthly/{report.pk}/move/", {"move": "submit"})
    client.logout()
    signed_in(client, world["users"]["national_analyst"]).post(f"/reports/monthly/{report.pk}/move/",
                                                               {"move": "approve"})
    report.refresh_from_db()
    assert (report.status, report.approver) == ("approved", world["users"]["national_analyst"])


def test_the_author_approving_their_own_report_on_the_page_gets_a_message(client, world, report):
    client = signed_in(client, world["users"]["analyst"])
    client.post(f"/reports/monthly/{report.pk}/move/", {"move": "submit"})
    response = client.post(f"/reports/monthly/{report.pk}/move/", {"move": "approve"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"{report.reference} is now submitted for approval.",
        "Not changed: The author does not approve their own monthly report: a second analyst does."]
    assert MonthlyReport.objects.get().status == "submitted"


def test_returning_without_a_reason_on_the_page_gets_a_message(client, world, report):
    monthly.submit_monthly_report(actor=world["users"]["analyst"], report=report)
    response = signed_in(client, world["users"]["national_analyst"]).post(
        f"/reports/monthly/{report.pk}/move/", {"move": "return", "reason": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Not changed: Say why: the author reads it."]
    assert MonthlyReport.objects.get().status == "submitted"


def test_the_detail_page_shows_the_marking_and_cited_reports_and_is_audited(client, world, report):
    response = signed_in(client, world["users"]["national_analyst"]).get(f"/reports/monthly/{report.pk}/")
    html = response.content.decode()
    assert 'id="monthly-marking">TLP:AMBER<' in html and "Checkpoints north" in html
    entry = AuditEntry.objects.filter(object_type="reports.monthlyreport", action="read").get()
    assert entry.detail["officer_ids"] == [world["officer"].pk]


def test_the_pdf_is_a_pdf_with_its_marking_and_is_audited(client, world, report):
    response = signed_in(client, world["users"]["analyst"]).get(f"/reports/monthly/{report.pk}/pdf/")
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (200, "application/pdf",
                                                                                       b"%PDF-")
    assert AuditEntry.objects.filter(object_type="reports.monthlyreport", action="export").get().detail[
        "format"] == "pdf"


def test_the_list_takes_a_fixed_number_of_queries(client, world, report, django_assert_num_queries):
    client = signed_in(client, world["users"]["analyst"])
    client.get("/reports/monthly/")
    for acronym in ("EUA", "EUB", "EUC"):
        monthly.create_monthly_report(actor=world["users"]["analyst"], mission=make_mission(acronym), month=MONTH)
    with django_assert_num_queries(12):  # one audit entry for the list
        assert client.get("/reports/monthly/").status_code == 200


def test_the_list_filters_by_mission(client, world, report):
    other = monthly.create_monthly_report(actor=world["users"]["analyst"], mission=world["other"], month=MONTH)
    response = signed_in(client, world["users"]["analyst"]).get(f"/reports/monthly/?mission={world['other'].pk}")
    assert [r.pk for r in response.context["reports"]] == [other.pk]


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_drafts_edits_and_moves(client, world):
    accepted(world, "sec-0001", marking="amber")
    analyst = signed_in(client, world["users"]["analyst"])
    created = post_json(analyst, "/api/reports/monthly", {"mission": world["mission"].pk, "month": f"{MONTH:%Y-%m}"})
    assert created.status_code == 201
    body = created.json()
    edited = post_json(analyst, f"/api/reports/monthly/{body['id']}",
                       {k: body[k] for k in ("security_assessment", "contingent_work", "marking")}
                       | {"political_update": "Quiet."}, method="put")
    assert (edited.status_code, edited.json()["political_update"]) == (200, "Quiet.")
    moved = post_json(analyst, f"/api/reports/monthly/{body['id']}/move", {"move": "submit"})
    assert moved.json()["status"] == "submitted"


@pytest.mark.parametrize("data,errors", [
    ({"mission": 987654, "month": f"{MONTH:%Y-%m}"}, {"mission": ["Unknown mission: choose one from the list."]}),
    ({"month": "2999-01"}, {"month": ["2999-01 has not begun: a monthly report is written on the current month or an "
                                      "earlier one."]}),
])
def test_bad_input_on_the_api_is_a_400_naming_the_field(client, world, data, errors):
    data = {"mission": world["mission"].pk} | data
    response = post_json(signed_in(client, world["users"]["analyst"]), "/api/reports/monthly", data)
    assert (response.status_code, response.json()["errors"]) == (400, errors)
    assert MonthlyReport.objects.count() == 0


def test_the_api_refuses_the_author_approving_their_own(client, world, report):
    monthly.submit_monthly_report(actor=world["users"]["analyst"], report=report)
    response = post_json(signed_in(client, world["users"]["analyst"]), f"/api/reports/monthly/{report.pk}/move",
                         {"move": "approve"})
    assert response.status_code == 403
    assert MonthlyReport.objects.get().status == "submitted"


def test_the_api_put_unchanged_changes_nothing(client, world, report):
    before = (MonthlyReport.objects.values().get(), AuditEntry.objects.filter(action="update").count())
    response = post_json(signed_in(client, world["users"]["analyst"]), f"/api/reports/monthly/{report.pk}",
                         form_of(report), method="put")
    assert response.status_code == 200
    assert (MonthlyReport.objects.values().get(), AuditEntry.objects.filter(action="update").count()) == before


def test_a_report_the_caller_may_not_read_is_a_404(client, world, report):
    response = signed_in(client, world["users"]["analyst_beta"]).get(f"/api/reports/monthly/{report.pk}")
    assert response.status_code == 404


# --- Debriefing pages and API (§8) -----------------------------------------------------------------


@pytest.fixture
def cell(world):
    debriefer = make_user(Role.ANALYST, pools=[world["pools"][0]], username="debriefer")
    group = Audience.objects.create(name="Debriefing cell", breadth="named")
    group.members.set([debriefer])
    return {"group": group, "debriefer": debriefer}


def recorded(world, cell, **overrides):
    fields = {"officer": world["officer"], "group": cell["group"], "held_on": TODAY,
              "content": "Routes used by the smugglers.", "reports": [file(world, "deb-0001")]} | overrides
    return services.record_debriefing(actor=cell["debriefer"], **fields)


def test_the_group_member_records_a_debriefing_on_the_page(client, world, cell):
    report = file(world, "deb-0001")
    response = signed_in(client, cell["debriefer"]).post("/reports/debriefings/new/", {
        "officer": world["officer"].pk, "group": cell["group"].pk, "held_on": str(TODAY),
        "content": "Routes used by the smugglers.", "reports": [report.pk]})
    debriefing = IntelligenceDebriefing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/debriefings/{debriefing.pk}/"
    assert list(debriefing.reports.all()) == [report]


@pytest.mark.parametrize("data,field,message", [
    ({"content": ""}, "content", "Write what was taken."),
    ({"held_on": str(TODAY + dt.timedelta(days=1))}, "held_on",
     "A debriefing is recorded once it has been held: the date is in the future."),
    ({"officer": "987654"}, "officer", "Unknown officer: choose one from the list."),
    ({"group": "987654"}, "group", "Choose a named group you are a member of."),
    ({"reports": ["987654"]}, "reports", "Not a report you may read."),
])
def test_bad_input_on_the_debriefing_page_is_a_clear_message_and_nothing_stored(client, world, cell, data, field,
                                                                                  message):
    form = {"officer": world["officer"].pk, "group": cell["group"].pk, "held_on": str(TODAY),
            "content": "Routes."} | data
    response = signed_in(client, cell["debriefer"]).post("/reports/debriefings/new/", form)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert IntelligenceDebriefing.objects.count() == 0


def test_an_analyst_on_no_named_group_may_not_record(client, world, cell):
    response = signed_in(client, world["users"]["analyst"]).get("/reports/debriefings/new/")
    assert response.status_code == 403


def test_a_group_the_analyst_is_not_on_is_no_choice(client, world, cell):
    own = Audience.objects.create(name="Other cell", breadth="named")
    own.members.set([world["users"]["analyst"]])
    response = signed_in(client, world["users"]["analyst"]).post("/reports/debriefings/new/", {
        "officer": world["officer"].pk, "group": cell["group"].pk, "held_on": str(TODAY), "content": "Routes."})
    assert response.context["form"].errors["group"] == ["Choose a named group you are a member of."]
    assert IntelligenceDebriefing.objects.count() == 0


def test_only_the_group_reads_the_debriefing_page(client, world, cell):
    debriefing = recorded(world, cell)
    statuses = {}
    for name, user in {**world["users"], "debriefer": cell["debriefer"]}.items():
        client.force_login(user)
        statuses[name] = client.get(f"/reports/debriefings/{debriefing.pk}/").status_code
    assert statuses == {"secondee": 404, "analyst": 404, "analyst_beta": 404, "national_analyst": 404,
                        "coordinator": 404, "debriefer": 200}


def test_the_list_of_someone_outside_the_group_holds_nothing(client, world, cell):
    recorded(world, cell)
    response = signed_in(client, world["users"]["national_analyst"]).get("/reports/debriefings/")
    assert list(response.context["debriefings"]) == []
    assert "No debriefings." in response.content.decode()


def test_the_linked_reports_are_shown_only_to_a_member_who_may_read_them(client, world, cell):
    beta_member = make_user(Role.ANALYST, pools=[world["pools"][1]], username="betamember")
    cell["group"].members.add(beta_member)
    debriefing = recorded(world, cell)
    response = signed_in(client, beta_member).get(f"/reports/debriefings/{debriefing.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Week at the northern border" not in html
    assert "None that you may read." in html
    client.force_login(cell["debriefer"])
    assert "Week at the northern border" in client.get(f"/reports/debriefings/{debriefing.pk}/").content.decode()


def test_the_api_lists_and_reads_debriefings_of_the_group_only(client, world, cell):
    debriefing = recorded(world, cell)
    member = signed_in(client, cell["debriefer"])
    assert [d["id"] for d in member.get("/api/reports/debriefings").json()] == [debriefing.pk]
    assert member.get(f"/api/reports/debriefings/{debriefing.pk}").json()["content"] == "Routes used by the smugglers."
    client.force_login(world["users"]["national_analyst"])
    assert client.get("/api/reports/debriefings").json() == []
    assert client.get(f"/api/reports/debriefings/{debriefing.pk}").status_code == 404


def test_the_api_records_a_debriefing_and_refuses_classified_content(client, world, cell):
    member = signed_in(client, cell["debriefer"])
    response = post_json(member, "/api/reports/debriefings", {
        "officer": world["officer"].pk, "group": cell["group"].pk, "held_on": str(TODAY),
        "content": "CONFIDENTIEL DEFENSE routes"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["content"]
    assert IntelligenceDebriefing.objects.count() == 0
    response = post_json(member, "/api/reports/debriefings", {
        "officer": world["officer"].pk, "group": cell["group"].pk, "held_on": str(TODAY), "content": "Routes."})
    assert response.status_code == 201


def test_a_debriefing_is_in_no_field_report_list_or_api_of_anyone(client, world, cell):
    recorded(world, cell, content="Smugglers use the river crossing.")
    for user in (cell["debriefer"], world["users"]["analyst"], world["users"]["national_analyst"]):
        client.force_login(user)
        assert "river crossing" not in client.get("/reports/?status=").content.decode()
        assert "river crossing" not in client.get("/api/reports").content.decode()
