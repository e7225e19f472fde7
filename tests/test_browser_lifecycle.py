"""In a real browser, one officer from selected to reintegrated (issue 11 §8): the coordinator moves
the secondment on from its own page (preparing: the checklist is made and ticked; deployed: a
contact is logged on the duty-of-care page; extended; returned), and the line manager (HR) places
the returnee on a domestic vacancy, which reintegrates them. A move out of order is refused in the
page and changes nothing."""

import datetime as dt
import os

from dividend.audit.models import AuditEntry
from dividend.care.models import Contact
from dividend.careers.services import save_vacancy
from dividend.pools.models import Role
from dividend.preparation.loading import load_templates
from dividend.preparation.models import ChecklistItem
from dividend.secondments.models import Secondment

from .browser import MARKS
from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user
from .test_browser_forms import browser, log_in  # noqa: F401 - the browser fixture

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


def _move(page, secondment, move, *, date=None, reason=""):
    page.goto(f"/secondments/{secondment.pk}/")
    page.select_option("#move-form select[name=move]", move)
    if date is not None:
        page.fill("#move-form input[name=date]", date.isoformat())
    page.fill("#move-form input[name=reason]", reason)
    with page.expect_navigation():
        page.click("#move-form button[type=submit]")


def test_one_officer_from_selected_to_reintegrated(live_server, browser):  # noqa: F811
    load_templates()
    today = dt.date.today()
    pool = make_pool("bpol", name="Bundespolizei")
    coordinator = make_user(Role.COORDINATOR, pools=[pool], username="coord")
    hr = make_user(Role.HR_MANAGER, pools=[pool], username="linemanager")
    officer = make_officer(pool, first_name="Aino", last_name="Aalto")
    mission = make_mission("EUMM", countries=("GEO",), themes=("border_management",))
    secondment = make_secondment(officer, make_position(mission, title="Monitor"), status=Secondment.Status.SELECTED,
                                 start=today - dt.timedelta(days=200), end=today + dt.timedelta(days=20))
    vacancy, _ = save_vacancy(actor=hr, pool=pool, post="Border liaison officer", unit="Border unit East",
                              location="Frankfurt (Oder)")
    page = log_in(browser, live_server, coordinator)

    # A move out of order (return before deployment) is refused and changes nothing.
    page.goto(f"/secondments/{secondment.pk}/")
    assert page.locator("#move-form select[name=move] option[value=return]").count() == 0
    assert page.locator("#lifecycle li.current").inner_text() == "Selected"

    _move(page, secondment, "prepare")
    assert page.locator("#lifecycle li.current").inner_text() == "Preparing"
    with page.expect_navigation():
        page.click("#secondment-pages a[href*='/preparation/']")
    visa = ChecklistItem.objects.get(checklist__secondment=secondment, code="visa")
    page.locator(f"#item-{visa.pk} button[type=submit]").click()
    page.locator(f"#item-{visa.pk} .badge.ok").wait_for()

    _move(page, secondment, "deploy", reason="flew to Tbilisi")
    page.goto(f"/secondments/{secondment.pk}/")
    with page.expect_navigation():
        page.click("#secondment-pages a[href*='/care/']")
    page.fill("input[name$=contact_on]", today.isoformat())
    page.select_option("select[name$=channel]", index=1)
    page.select_option("select[name$=wellbeing]", index=0)
    page.fill("textarea[name$=notes]", "Settled in; asks about the leave dates")
    with page.expect_navigation():
        page.locator("textarea[name$=notes]").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    assert Contact.objects.filter(secondment=secondment).count() == 1

    # Cutting short without a reason is refused in the page; the extension needs a later end date.
    _move(page, secondment, "cut_short", date=today, reason="")
    assert "Give a reason for “cut short”." in page.locator("ul.messages").inner_text()
    _move(page, secondment, "extend", date=today + dt.timedelta(days=60), reason="Mandate renewed")
    assert "Mandate renewed" in page.locator("#extensions").inner_text()
    _move(page, secondment, "return", date=today)
    assert page.locator("#lifecycle li.current").inner_text() == "Returned"
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "lifecycle returned.png"), full_page=True)

    # The coordinator may not reintegrate: the line manager places the returnee.
    assert page.locator("#move-form").count() == 0
    hr_page = log_in(browser, live_server, hr)
    hr_page.goto(f"/careers/vacancies/{vacancy.pk}/")
    hr_page.select_option("select[name=secondment]", str(secondment.pk))
    hr_page.fill("input[name=start_date]", today.isoformat())
    with hr_page.expect_navigation():
        hr_page.locator("select[name=secondment]").locator("xpath=ancestor::form").locator(
            "button[type=submit]").click()
    assert "Placed: the secondment is reintegrated." in hr_page.locator("ul.messages").inner_text()
    hr_page.goto(f"/secondments/{secondment.pk}/")
    assert hr_page.locator("#lifecycle li.current").inner_text() == "Reintegrated"
    if SCREENSHOTS:
        hr_page.screenshot(path=os.path.join(SCREENSHOTS, "lifecycle reintegrated.png"), full_page=True)

    secondment.refresh_from_db()
    assert (secondment.status, secondment.end_date, secondment.cut_short) == ("reintegrated", today, False)
    moves = list(AuditEntry.objects.filter(action="status", object_type="secondments.secondment")
                 .order_by("id").values_list("detail__move", flat=True))
    assert moves == ["prepare", "deploy", "extend", "return", "reintegrate"]
