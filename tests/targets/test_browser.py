"""In a real browser: a policy officer sets a target (a share of 120 % refused, nothing saved), the
year page shows it against the snapshots, a liaison reads the page (no names, no edit links), and a
snapshot is recomputed on purpose after a correction."""

import datetime as dt
import os

from dividend.targets import services
from dividend.targets.models import MonthlySnapshot, Target

from ..browser import MARKS
from ..test_browser_forms import browser, log_in  # noqa: F401 - the browser fixture
from .conftest import MARCH, TODAY, small  # noqa: F401 - the dataset fixture

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"targets-{name}.png"), full_page=True)


def test_set_a_target_read_it_and_recompute(live_server, browser, small):  # noqa: F811
    services.take_snapshots(actor=None, first_month=dt.date(2026, 1, 1), last_month=MARCH, today=TODAY)
    page = log_in(browser, live_server, small["users"]["policy"])
    page.goto(f"{live_server.url}/targets/new/")
    page.fill("#id_year", "2026")
    page.select_option("#id_kind", "women")
    page.select_option("#id_measure", "share")
    page.select_option("#id_bound", "floor")
    page.fill("#id_value", "120")
    with page.expect_navigation():
        page.click("#target-form button[type=submit]")
    assert "A share is at most 100 %; 120 % is more than the whole." in page.locator("main").inner_text()
    assert Target.objects.count() == 0
    _shot(page, "refused")
    page.fill("#id_value", "40")
    with page.expect_navigation():
        page.click("#target-form button[type=submit]")
    text = page.locator("#targets").inner_text()
    assert "Women deployed" in text and "50 %" in text and "met" in text
    assert page.locator("#over-time tbody tr").count() == 1
    _shot(page, "year")

    berg = small["secondments"][1]
    berg.start_date = dt.date(2026, 4, 1)
    berg.save()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    page.goto(f"{live_server.url}/targets/snapshots/?first_month=2026-03&last_month=2026-03")
    page.fill(f"#reason-{national.pk}", "Berg left in April")
    with page.expect_navigation():
        page.click(f"#snapshot-{national.pk} button[type=submit]")
    assert "Recomputed 2026-03 national" in page.locator("main").inner_text()
    _shot(page, "snapshots")
    national.refresh_from_db()
    assert national.deployed == 1

    liaison = log_in(browser, live_server, small["users"]["liaison"])
    liaison.goto(f"{live_server.url}/targets/?year=2026")
    main = liaison.locator("main").inner_text()
    assert "Women deployed" in main and "Aalto" not in main and "Berg" not in main
    assert liaison.locator("#new-target").count() == 0
    assert liaison.locator("#targets a", has_text="Change").count() == 0
