"""In a real browser: an analyst drafts the monthly mission report (mission and month → the drafted
text), opens the edit form on the full record and saves it unchanged (nothing changes), submits it,
may not approve it; a second analyst approves it. A member of a named group records a debriefing
and reads it; an analyst outside the group gets a 404."""

import datetime as dt
from urllib.parse import urlsplit

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import ThematicArea
from dividend.reports.models import Audience, IntelligenceDebriefing, MonthlyReport

from ..browser import MARKS, new_page, sign_in
from ..factories import make_user
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture
from .test_monthly import MONTH, accepted

pytestmark = MARKS

DESKTOP = {"width": 1366, "height": 900}


def test_draft_edit_unchanged_submit_and_approve_a_monthly_report(live_server, browser, world):  # noqa: F811
    users = world["users"]
    accepted(world, "sec-0001", title="Checkpoints north", body="Two new checkpoints opened near Gao.",
             marking="amber")
    political = accepted(world, "pol-0001", title="New justice minister", body="The cabinet was reshuffled.")
    political.themes.set([ThematicArea.objects.get(code="rule_of_law")])

    analyst = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["analyst"])
    analyst.goto("/reports/monthly/new/")
    analyst.select_option("#id_mission", str(world["mission"].pk))
    analyst.fill("#id_month", f"{MONTH:%Y-%m}")
    with analyst.expect_navigation():
        analyst.click("#monthly-new-form button[type=submit]")
    report = MonthlyReport.objects.get()
    assert urlsplit(analyst.url).path == f"/reports/monthly/{report.pk}/edit/"
    assert "Checkpoints north" in analyst.input_value("#id_security_assessment")
    assert "New justice minister" in analyst.input_value("#id_political_update")
    assert analyst.input_value("#id_marking") == "amber"
    analyst.screenshot(path="/tmp/monthly-edit.png", full_page=True)

    before = (MonthlyReport.objects.values().get(), AuditEntry.objects.filter(action="update").count())
    with analyst.expect_navigation():
        analyst.click("#monthly-form button[type=submit]")  # saved unchanged
    assert (MonthlyReport.objects.values().get(), AuditEntry.objects.filter(action="update").count()) == before
    assert urlsplit(analyst.url).path == f"/reports/monthly/{report.pk}/"

    with analyst.expect_navigation():
        analyst.click("#monthly-submit button[type=submit]")
    assert MonthlyReport.objects.get().status == "submitted"
    assert analyst.locator("#monthly-approve").count() == 0  # the author does not approve
    analyst.screenshot(path="/tmp/monthly-submitted.png", full_page=True)

    approver = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["national_analyst"])
    approver.goto(f"/reports/monthly/{report.pk}/")
    approver.select_option("#id_move", "approve")
    with approver.expect_navigation():
        approver.click("#monthly-approve button[type=submit]")
    report.refresh_from_db()
    assert (report.status, report.approver) == ("approved", users["national_analyst"])
    assert "TLP:AMBER" in approver.locator("#monthly-marking").inner_text()
    approver.screenshot(path="/tmp/monthly-approved.png", full_page=True)
    approver.goto("/reports/monthly/")
    assert report.reference in approver.locator("#monthly-reports").inner_text()
    approver.screenshot(path="/tmp/monthly-list.png", full_page=True)


def test_a_group_member_records_and_reads_a_debriefing_others_cannot(live_server, browser, world):  # noqa: F811
    users = world["users"]
    report = accepted(world, "deb-0001", title="Week at the northern border")
    debriefer = make_user(Role.ANALYST, pools=[world["pools"][0]], username="debriefer")
    cell = Audience.objects.create(name="Debriefing cell", breadth="named")
    cell.members.set([debriefer])

    page = sign_in(new_page(browser, live_server, viewport=DESKTOP), debriefer)
    page.goto("/reports/debriefings/new/")
    page.select_option("#id_officer", str(world["officer"].pk))
    page.select_option("#id_group", str(cell.pk))
    page.fill("#id_held_on", str(dt.date.today()))
    page.fill("#id_content", "Smugglers use the river crossing at night.")
    page.select_option("#id_reports", str(report.pk))
    page.screenshot(path="/tmp/debriefing-new.png", full_page=True)
    with page.expect_navigation():
        page.click("#debriefing-form button[type=submit]")
    debriefing = IntelligenceDebriefing.objects.get()
    assert "Week at the northern border" in page.locator("#debriefing-reports").inner_text()
    page.screenshot(path="/tmp/debriefing-read.png", full_page=True)

    outsider = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["national_analyst"])
    response = outsider.goto(f"/reports/debriefings/{debriefing.pk}/")
    assert response.status == 404
    outsider.goto("/reports/debriefings/")
    assert "river crossing" not in outsider.content() and "Aalto" not in outsider.locator("main").inner_text()
    outsider.screenshot(path="/tmp/debriefing-outsider.png", full_page=True)
