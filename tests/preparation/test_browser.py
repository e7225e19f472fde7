"""In a real browser: a coordinator opens a preparing secondment's checklist from the preparation
list, ticks items in place (htmx), records the backfill of the home post, then opens every edit
form of the preparation and saves it unchanged: nothing changes."""

import datetime as dt
import os

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.preparation.loading import load_templates
from dividend.preparation.models import Backfill, Checklist, ChecklistItem
from dividend.secondments.models import Secondment
from dividend.secondments.services import start_preparing

from ..browser import MARKS
from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user
from ..test_browser_forms import browser, log_in  # noqa: F401 - the browser fixture

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


def snapshot(secondment):
    checklist = Checklist.objects.get(secondment=secondment)
    items = [(i.code, i.due_date, i.done, i.done_by_id, i.done_at, i.note, i.returnee_id)
             for i in ChecklistItem.objects.filter(checklist=checklist).order_by("code")]
    b = Backfill.objects.get(secondment=secondment)
    return items, checklist.caveats, (b.arrangement, b.substitute_id, b.promoted_id, b.start_date, b.end_date,
                                      b.funding, b.funding_note, b.cost_figure, b.recorded_at)


def test_a_coordinator_prepares_a_secondment_in_the_browser(live_server, browser):  # noqa: F811
    load_templates()
    pool = make_pool("bpol", name="Bundespolizei")
    coordinator = make_user(Role.COORDINATOR, pools=[pool], username="coord")
    officer = make_officer(pool, first_name="Aino", last_name="Aalto", rank_code="chief_inspector")
    junior = make_officer(pool, first_name="Kai", last_name="Koski", rank_code="constable")
    mission = make_mission("EUCAP", countries=("MLI",), themes=("migrant_smuggling_irregular_migration",))
    start = dt.date.today() + dt.timedelta(days=20)
    secondment = make_secondment(officer, make_position(mission, title="Border adviser"),
                                 status=Secondment.Status.SELECTED, start=start, end=start + dt.timedelta(days=364))
    start_preparing(actor=coordinator, secondment=secondment)  # the checklist is made on this move
    page = log_in(browser, live_server, coordinator)

    page.goto(f"{live_server.url}/preparation/")
    with page.expect_navigation():
        page.click("#preparation-list a:has-text('Aino Aalto')")
    assert page.locator("#overdue-count").count() == 1  # the 45-day medical item is overdue already
    assert "Migrant smuggling and irregular migration" in page.locator("#security-briefing").inner_text()
    for code in ("visa", "medical"):
        item = ChecklistItem.objects.get(checklist__secondment=secondment, code=code)
        row = page.locator(f"#item-{item.pk}")
        row.locator("button[type=submit]").click()
        page.locator(f"#item-{item.pk} .badge.ok").wait_for()  # the row swapped in place
    assert set(ChecklistItem.objects.filter(checklist__secondment=secondment, done=True)
               .values_list("code", "done_by")) == {("visa", coordinator.pk), ("medical", coordinator.pk)}
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "preparation checklist.png"), full_page=True)

    with page.expect_navigation():
        page.click("#backfill a:has-text('Record the backfill')")
    page.check("input[name=arrangement][value=promotion]")
    page.fill("#id_promoted", junior.service_number)
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", (start + dt.timedelta(days=180)).isoformat())
    page.select_option("#id_funding", "central")
    page.fill("#id_funding_note", "Replacement budget 2027")
    page.fill("#id_cost_figure", "12000.50")
    with page.expect_navigation():
        page.click("#backfill-form button[type=submit]")
    backfill = Backfill.objects.get(secondment=secondment)
    assert (backfill.promoted, backfill.funding, str(backfill.cost_figure)) == (junior, "central", "12000.50")
    assert "Kai Koski" in page.locator("#backfill").inner_text()

    page.goto(f"{live_server.url}/preparation/secondments/{secondment.pk}/caveats/")
    page.fill("#id_caveats", "No executive tasks\nNo redeployment outside Bamako")
    with page.expect_navigation():
        page.click("#caveats-form button[type=submit]")
    assert "No redeployment outside Bamako" in page.locator("#caveats").inner_text()

    page.goto(f"{live_server.url}/preparation/backfill/pools/{pool.pk}/")
    assert "12000.50" in page.locator("#absences").inner_text()
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "preparation pool backfill.png"), full_page=True)

    # Every edit form saved unchanged: nothing changes, nothing is logged but reads.
    before = snapshot(secondment)
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    visa = ChecklistItem.objects.get(checklist__secondment=secondment, code="visa")
    for path, form in ((f"/preparation/items/{visa.pk}/edit/", "#item-form"),
                       (f"/preparation/secondments/{secondment.pk}/caveats/", "#caveats-form"),
                       (f"/preparation/secondments/{secondment.pk}/backfill/", "#backfill-form")):
        page.goto(f"{live_server.url}{path}")
        with page.expect_navigation():
            page.click(f"{form} button[type=submit]")
        assert page.locator("ul.messages li.success").inner_text() == "Saved (no changes)."
    assert snapshot(secondment) == before
    assert list(AuditEntry.objects.filter(id__gt=last_entry).exclude(action__in=["read", "list"])
                .values_list("action", "object_type")) == []
