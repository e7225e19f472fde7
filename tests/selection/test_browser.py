"""In a real browser: a coordinator records a call with a position, opens it, nominates an officer,
then opens every edit form of the call and saves it unchanged: nothing changes."""

import datetime as dt

from dividend.audit.models import AuditEntry
from dividend.missions.models import Mission
from dividend.pools.models import Role
from dividend.selection.models import Call, Nomination

from ..browser import MARKS
from ..factories import make_mission, make_officer, make_pool, make_position, make_user
from ..test_browser_forms import browser, call_snapshot, log_in  # noqa: F401 - the browser fixture

pytestmark = MARKS


def test_a_coordinator_records_a_call_nominates_and_saves_every_form_unchanged(live_server, browser):  # noqa: F811
    pool = make_pool("bpol", name="Bundespolizei")
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool, first_name="Aino", last_name="Aalto")
    mission = make_mission("EULEX", countries=["XKX"], status=Mission.Status.ACTIVE)
    make_position(mission, title="Border police adviser", reference="EULEX-12")
    today = dt.date.today()
    page = log_in(browser, live_server, coordinator)

    page.goto(f"{live_server.url}/selection/")
    page.click("#new-call")
    page.select_option("#id_organisation", "eu_csdp")
    page.select_option("#id_kind", "regular")
    page.fill("#id_reference", "EEAS/2027/04")
    page.fill("#id_title", "EULEX Kosovo: rotation")
    page.fill("#id_published_on", today.isoformat())
    page.fill("#id_organisation_deadline", (today + dt.timedelta(days=30)).isoformat())
    page.fill("#id_national_deadline", (today + dt.timedelta(days=15)).isoformat())
    page.check(f"input[name=pools][value='{pool.pk}']")
    with page.expect_navigation():
        page.click("#call-form button[type=submit]")
    call = Call.objects.get(reference="EEAS/2027/04")

    page.click("#add-position")
    page.select_option("#id_position", label="Border police adviser – EULEX")
    page.fill("#id_posts", "2")
    with page.expect_navigation():
        page.click("#position-form button[type=submit]")
    page.select_option("select[name=status]", "open")
    with page.expect_navigation():
        page.click("form.status-change button[type=submit]")
    call.refresh_from_db()
    assert (call.status, call.positions.get().posts) == ("open", 2)

    page.click("a.nominate")
    page.select_option("#id_officer", str(officer.pk))
    with page.expect_navigation():
        page.click("#nominate-form button[type=submit]")
    assert "Aino Aalto" in page.locator(f"#cp-{call.positions.get().pk}").inner_text()
    assert Nomination.objects.get().status == "awaiting_release"

    before = call_snapshot(call)
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    for link in ("#edit-call", f"#cp-{call.positions.get().pk} a[href$='/edit/']"):
        page.goto(f"{live_server.url}/selection/calls/{call.pk}/")
        with page.expect_navigation():
            page.click(link)
        with page.expect_navigation():
            page.click("main form.card button[type=submit]")
        assert page.locator("ul.messages li.success").inner_text() == "Saved (no changes)."
    assert call_snapshot(call) == before
    assert list(AuditEntry.objects.filter(id__gt=last_entry).exclude(action__in=["read", "list"])
                .values_list("action", "object_type")) == []
