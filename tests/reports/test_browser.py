"""In a real browser: an analyst accepts a secondee's report and composes a flash report citing it
(sections added in place with htmx), a second analyst approves it, and the secondee, on a phone,
reads that their report was used and opens the product (a list it went to includes them)."""

from urllib.parse import urlsplit

from dividend.pools.models import Role
from dividend.reports import services
from dividend.reports.models import FieldReport, Product

from ..browser import MARKS, new_page, sign_in
from ..factories import make_user
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture
from .test_reports import file

pytestmark = MARKS

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 375, "height": 740}


def test_from_an_accepted_report_to_a_flash_report_and_back_to_its_source(live_server, browser, world):  # noqa: F811
    users = world["users"]
    report = file(world)
    services.create_audience(actor=users["analyst"], name="EUTEST team", breadth="named", members=[users["secondee"]])
    second = make_user(Role.ANALYST, pools=[world["pools"][0]], username="ana2")

    analyst = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["analyst"])
    analyst.goto(f"/reports/{report.pk}/")
    analyst.select_option("#triage select[name=status]", "accepted")
    with analyst.expect_navigation():
        analyst.click("#triage button[type=submit]")
    assert FieldReport.objects.get().status == "accepted"

    analyst.goto("/reports/products/new/")
    analyst.select_option("#id_kind", "flash")
    analyst.fill("#id_title", "Checkpoints closed in the north")
    analyst.select_option("#id_marking", "clear")
    with analyst.expect_navigation():
        analyst.click("#product-form button[type=submit]")
    product = Product.objects.get()
    assert urlsplit(analyst.url).path == f"/reports/products/{product.pk}/"
    analyst.fill("#id_heading", "What happened")
    analyst.fill("#id_text", "Two checkpoints closed overnight; traffic diverted to Gao.")
    analyst.check(f"#section-form input[name=reports][value='{report.pk}']")
    analyst.click("#section-form button[type=submit]")  # htmx: the editor is redrawn in place
    analyst.wait_for_selector("#product-sections h2:has-text('What happened')")
    product.refresh_from_db()
    assert product.marking == "green"  # raised to the cited report's
    analyst.check("#audiences-form input[name=audiences]")
    analyst.click("#audiences-form button[type=submit]")
    analyst.wait_for_selector("#audiences-form input[name=audiences]:checked")
    with analyst.expect_navigation():
        analyst.click("#product-submit button[type=submit]")
    assert Product.objects.get().status == "submitted"
    assert analyst.locator("#product-approve").count() == 0  # the author does not approve
    analyst.screenshot(path="/tmp/products-submitted.png", full_page=True)

    approver = sign_in(new_page(browser, live_server, viewport=DESKTOP), second)
    approver.goto(f"/reports/products/{product.pk}/")
    approver.select_option("#id_move", "publish")
    with approver.expect_navigation():
        approver.click("#product-approve button[type=submit]")
    product.refresh_from_db()
    assert (product.status, product.approver) == ("published", second)
    approver.screenshot(path="/tmp/products-published.png", full_page=True)

    phone = sign_in(new_page(browser, live_server, viewport=PHONE), users["secondee"], next_url="/reports/")
    notice = phone.locator("#report-notices").inner_text()
    assert f"was used in {product.reference}" in notice
    assert phone.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") == 0
    phone.screenshot(path="/tmp/products-secondee-notice.png", full_page=True)
    with phone.expect_navigation():
        phone.click("#report-notices a")  # "Read it": a list it went to includes Aalto
    assert "TLP:GREEN" in phone.locator("#product-marking").inner_text()
    assert "Two checkpoints closed overnight" in phone.locator("#product-sections").inner_text()
    assert "Aalto" not in phone.locator("main").inner_text()  # audiences do not see whose reports
    phone.screenshot(path="/tmp/products-secondee-product.png", full_page=True)
