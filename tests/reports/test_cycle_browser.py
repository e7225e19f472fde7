"""In a real browser, the whole cycle (issue 12 §11): a secondee files a report on a phone (390×844);
an analyst accepts it and composes a flash report citing it; a second analyst approves and
publishes it (the author does not approve their own); the secondee, on the phone, reads that their
report was used in FLASH-… and opens the product. Every phone page fits the screen's width."""

import os
from urllib.parse import urlsplit

from dividend.pools.models import Role
from dividend.reports import services
from dividend.reports.models import FieldReport, Product

from ..browser import MARKS, new_page, sign_in
from ..factories import make_user
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"  # > 0: the page scrolls sideways


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)


def _fits(page):
    assert page.evaluate(OVERFLOW) == 0


def test_a_phone_report_becomes_a_flash_report_and_its_source_hears_of_it(live_server, browser, world):  # noqa: F811
    users = world["users"]
    services.create_audience(actor=users["analyst"], name="EUTEST team", breadth="named", members=[users["secondee"]])
    second = make_user(Role.ANALYST, pools=[world["pools"][0]], username="ana2")

    # The secondee files on the phone: what to look out for is above the form, the mission is chosen.
    phone = sign_in(new_page(browser, live_server, viewport=PHONE), users["secondee"], next_url="/reports/new/")
    assert "Checkpoints" in phone.locator("#requirements").inner_text()
    assert phone.locator("#id_mission option:checked").inner_text() == f"EUTEST – {world['mission'].name}"
    phone.fill("#id_title", "Checkpoints closed in the north")
    phone.fill("#id_body", "Two checkpoints north of Gao closed overnight; traffic diverted to the east road.")
    phone.check(f"#report-form input[name=requirements][value='{world['req']['mission'].pk}']")
    phone.fill("#report-form [data-filter-select=id_themes]", "border")
    phone.select_option("#id_themes", label="Border management")
    phone.fill("#id_places", "Gao")
    _fits(phone)
    _shot(phone, "cycle-1-phone-form.png")
    phone.click("#report-form button[type=submit]")  # right after typing: the page must not move under the tap
    phone.wait_for_selector("#draft-status.draft-sent", timeout=5000)
    report = FieldReport.objects.get()
    assert (report.title, report.place_list, [t.code for t in report.themes.all()],
            [r.title for r in report.requirements.all()]) == (
        "Checkpoints closed in the north", ["Gao"], ["border_management"], ["Checkpoints"])
    with phone.expect_navigation():
        phone.click("#draft-status a")  # "Open the report"
    assert urlsplit(phone.url).path == f"/reports/{report.pk}/"
    _fits(phone)
    _shot(phone, "cycle-2-phone-filed.png")

    # An analyst accepts it and composes a flash report citing it.
    analyst = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["analyst"])
    analyst.goto(f"/reports/{report.pk}/")
    analyst.select_option("#triage select[name=status]", "accepted")
    with analyst.expect_navigation():
        analyst.click("#triage button[type=submit]")
    analyst.goto("/reports/products/new/")
    analyst.select_option("#id_kind", "flash")
    analyst.fill("#id_title", "Northern checkpoints closed")
    analyst.select_option("#id_marking", "green")
    with analyst.expect_navigation():
        analyst.click("#product-form button[type=submit]")
    product = Product.objects.get()
    analyst.fill("#id_heading", "What happened")
    analyst.fill("#id_text", "Two checkpoints closed overnight; traffic diverted east.")
    analyst.check(f"#section-form input[name=reports][value='{report.pk}']")
    analyst.click("#section-form button[type=submit]")
    analyst.wait_for_selector("#product-sections h2:has-text('What happened')")
    analyst.check("#audiences-form input[name=audiences]")
    analyst.click("#audiences-form button[type=submit]")
    analyst.wait_for_selector("#audiences-form input[name=audiences]:checked")
    with analyst.expect_navigation():
        analyst.click("#product-submit button[type=submit]")
    assert analyst.locator("#product-approve").count() == 0  # the author does not approve

    # A second analyst approves and publishes.
    approver = sign_in(new_page(browser, live_server, viewport=DESKTOP), second)
    approver.goto(f"/reports/products/{product.pk}/")
    approver.select_option("#id_move", "publish")
    with approver.expect_navigation():
        approver.click("#product-approve button[type=submit]")
    product.refresh_from_db()
    assert (product.status, product.author, product.approver) == ("published", users["analyst"], second)

    # Back on the phone: the secondee reads what became of the report, and the product.
    phone.goto("/reports/")
    assert phone.locator("#report-notices").inner_text() == (
        f"Your report “Checkpoints closed in the north” was used in {product.reference}. Read it")
    assert product.reference.startswith("FLASH-")
    _fits(phone)
    _shot(phone, "cycle-3-phone-feedback.png")
    with phone.expect_navigation():
        phone.click("#report-notices a")
    assert "Two checkpoints closed overnight" in phone.locator("#product-sections").inner_text()
    _fits(phone)
    _shot(phone, "cycle-4-phone-product.png")
