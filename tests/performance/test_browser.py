"""In a real browser: a policy officer records an indicator, a value (a value without a source is
refused first, losing nothing typed), and the border baseline and a later assessment; the Ministry
liaison reads the mission's figures and the progress chart without any officer's name."""

import datetime as dt
import os

from dividend.performance import services
from dividend.performance.models import Assessment, Indicator, IndicatorValue

from ..browser import MARKS
from ..test_browser_forms import browser, log_in  # noqa: F401 - the browser fixture
from .conftest import BASELINE, perf_world  # noqa: F401 - the world fixture

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"performance-{name}.png"), full_page=True)


def test_record_indicator_value_and_assessments_then_read_as_the_liaison(live_server, browser, perf_world):  # noqa: F811
    eubam = perf_world["missions"][0]
    page = log_in(browser, live_server, perf_world["users"]["policy"])
    page.goto(f"{live_server.url}/performance/")
    page.click(f"a[href='/performance/missions/{eubam.pk}/']")
    page.click("#new-indicator")
    page.select_option("#id_level", "outcome")
    page.fill("#id_text", "Crossing points applying risk analysis")
    page.fill("#id_unit", "%")
    page.select_option("#id_direction", "increase")
    page.fill("#id_baseline", "20")
    page.fill("#id_baseline_date", "2025-01-01")
    page.fill("#id_target", "60")
    with page.expect_navigation():
        page.click("#indicator-form button[type=submit]")
    indicator = Indicator.objects.get()
    page.goto(f"{live_server.url}/performance/indicators/{indicator.pk}/values/")
    page.fill("#id_period_start", "2026-04-01")
    page.fill("#id_period_end", "2026-06-30")
    page.fill("#id_value", "45")
    with page.expect_navigation():
        page.click("#value-form button[type=submit]")
    assert "Name the source of the value" in page.inner_text("#value-form")
    assert page.input_value("#id_value") == "45" and page.input_value("#id_period_end") == "2026-06-30"
    assert IndicatorValue.objects.count() == 0
    page.fill("#id_source", "EUBAM CPAS report Q2")
    with page.expect_navigation():
        page.click("#value-form button[type=submit]")
    assert "62.5 %" in page.inner_text("main")
    _shot(page, "values")

    page.goto(f"{live_server.url}/performance/missions/{eubam.pk}/border/")
    page.click("#new-assessment")
    page.fill("#id_assessed_on", "2025-03-01")
    for area, rating in BASELINE.items():
        page.select_option(f"#id_{area}_rating", str(rating))
        page.fill(f"#id_{area}_narrative", f"Seen in {area}.")
        page.fill(f"#id_{area}_source", "Needs assessment 2025")
    with page.expect_navigation():
        page.click("#assessment-form button[type=submit]")
    assert Assessment.objects.get().kind == "baseline"
    services.save_assessment(actor=perf_world["users"]["policy"], mission=eubam, kind="follow_up",
                             assessed_on=dt.date(2026, 3, 1), note="",
                             ratings={"legislative_framework": (3, "Law adopted.", "Strategic review")})
    services.add_contribution(actor=perf_world["users"]["coordinator_national"], indicator=indicator,
                              secondment=perf_world["secondments"][0], description="Wrote the curriculum.")

    page = log_in(browser, live_server, perf_world["users"]["liaison"])
    page.goto(f"{live_server.url}/performance/missions/{eubam.pk}/")
    text = page.inner_text("main")
    assert "62.5 %" in text and "Aalto" not in text
    _shot(page, "mission-liaison")
    page.goto(f"{live_server.url}/performance/missions/{eubam.pk}/border/")
    assert page.locator("#progress-chart svg").count() == 1
    assert page.inner_text("#area-legislative_framework") .split("\t")[-1] == "+2"
    _shot(page, "border-liaison")
