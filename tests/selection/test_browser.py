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


def test_a_call_from_nomination_to_feedback_on_the_record(live_server, browser):  # noqa: F811
    """A coordinator records a UN call and nominates two officers; a third expresses interest and is
    released by the line manager; the panel scores; the coordinator runs the assignment, proposes a
    decision that departs from it (refused until justified); another coordinator approves it; the
    nominee reads the feedback."""
    from dividend.pools.models import RoleAssignment, Scope
    from dividend.selection import services

    from .test_assignment import COMMON, GOOD

    pool = make_pool("bpol", name="Bundespolizei")
    coordinator = make_user(Role.COORDINATOR, pools=[pool], username="coord")
    national = make_user(Role.COORDINATOR, national=True, username="national")
    hr = make_user(Role.HR_MANAGER, pools=[pool], username="hr")
    panel = make_user(None, username="panel-one")
    secondee = make_user(Role.SECONDEE, pools=[pool], username="aalto")
    aalto = make_officer(pool, first_name="Aino", last_name="Aalto", user=secondee, gender="female",
                         qualifications=GOOD, **COMMON)
    berg = make_officer(pool, first_name="Bo", last_name="Berg", gender="male", qualifications=GOOD, **COMMON)
    carl = make_officer(pool, first_name="Cai", last_name="Carlsson", gender="male", qualifications=GOOD, **COMMON)
    mission = make_mission("UNTEST", organisation="un", countries=("SRB",), status=Mission.Status.ACTIVE)
    make_position(mission, title="Border adviser", reference="UNT-1", duration_months=12)
    today = dt.date.today()

    page = log_in(browser, live_server, coordinator)
    page.goto(f"{live_server.url}/selection/calls/new/")
    page.select_option("#id_organisation", "un")
    page.fill("#id_reference", "UN/2027/09")
    page.fill("#id_title", "UNTEST police")
    page.fill("#id_published_on", today.isoformat())
    page.fill("#id_organisation_deadline", (today + dt.timedelta(days=40)).isoformat())
    page.fill("#id_national_deadline", (today + dt.timedelta(days=20)).isoformat())
    page.check(f"input[name=pools][value='{pool.pk}']")
    with page.expect_navigation():
        page.click("#call-form button[type=submit]")
    call = Call.objects.get(reference="UN/2027/09")
    page.click("#add-position")
    page.select_option("#id_position", label="Border adviser – UNTEST")
    with page.expect_navigation():
        page.click("#position-form button[type=submit]")
    page.select_option("select[name=status]", "open")
    with page.expect_navigation():
        page.click("form.status-change button[type=submit]")
    for officer in (berg, carl):
        page.click("a.nominate")
        page.select_option("#id_officer", str(officer.pk))
        with page.expect_navigation():
            page.click("#nominate-form button[type=submit]")
    RoleAssignment.objects.create(user=panel, role=Role.PANEL_MEMBER, scope=Scope.OBJECT,
                                  object_type="selection.call", object_id=call.pk)

    officer_page = log_in(browser, live_server, secondee)
    officer_page.goto(f"{live_server.url}/selection/mine/")
    with officer_page.expect_navigation():
        officer_page.click("form[action$='/interest/'] button[type=submit]")
    interest = Nomination.objects.get(officer=aalto)
    assert (interest.origin, interest.status) == ("interest", "awaiting_release")

    hr_page = log_in(browser, live_server, hr)
    hr_page.goto(f"{live_server.url}/selection/releases/")
    for n in Nomination.objects.order_by("id"):
        form = hr_page.locator(f"form[action='/selection/nominations/{n.pk}/release/']")
        form.locator("select[name=decision]").select_option("release")
        with hr_page.expect_navigation():
            form.locator("button[type=submit]").click()
    assert set(Nomination.objects.values_list("status", flat=True)) == {"released"}

    panel_page = log_in(browser, live_server, panel)
    panel_page.goto(f"{live_server.url}/selection/calls/{call.pk}/panel/")
    main = panel_page.locator("main").inner_text()
    assert "Candidate C-1" in main and "Aalto" not in main and "Bundespolizei" not in main
    scores = {berg.pk: "85", carl.pk: "60", aalto.pk: "70"}
    for n in Nomination.objects.order_by("id"):
        row = panel_page.locator(f"#panel-nomination-{n.pk}")
        row.locator("input[name=score]").fill(scores[n.officer_id])
        row.locator("button[type=submit]").click()  # htmx: the row comes back with the scores
        panel_page.locator(f"#panel-nomination-{n.pk} .scores p", has_text="Your score").wait_for()
    assert "panel-one: 85" in panel_page.locator("main").inner_text()

    page.goto(f"{live_server.url}/selection/calls/{call.pk}/assignment/")
    page.select_option("#id_score_source", "panel")
    with page.expect_navigation():
        page.click("#assignment-form button[type=submit]")
    assert page.locator("#side-optimal .total").inner_text() == "85.0"
    assert "Bo Berg" in page.locator("#side-optimal table.pairs").inner_text()

    nomination = Nomination.objects.get(officer=aalto)
    page.goto(f"{live_server.url}/selection/nominations/{nomination.pk}/outcome/")
    page.select_option("#id_outcome", "selected")
    page.fill("#id_feedback", "Selected: your Serbian experience decided it.")
    page.fill("#id_start_date", (today + dt.timedelta(days=120)).isoformat())
    with page.expect_navigation():
        page.click("#outcome-form button[type=submit]")
    assert "write the justification" in page.locator("main").inner_text()
    page.fill("#id_justification", "The mission asked for a woman officer with Serbian.")
    with page.expect_navigation():
        page.click("#outcome-form button[type=submit]")

    second = log_in(browser, live_server, national)
    second.goto(f"{live_server.url}/selection/calls/{call.pk}/decisions/")
    assert "The mission asked for a woman officer with Serbian." in second.locator("#decisions").inner_text()
    with second.expect_navigation():
        second.click("#decisions form button[type=submit]")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.secondment.status) == ("selected", "selected")
    assert services.latest_run(call).pk == nomination.decisions.get().assignment_run_id

    officer_page.goto(f"{live_server.url}/selection/mine/")
    assert "Selected: your Serbian experience decided it." in officer_page.locator("main").inner_text()
